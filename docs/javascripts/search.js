/* The site search: the header's dialog (overrides/partials/search.html) over Pagefind's JavaScript API.
 * pagefind/pagefind.js loads on first use, and then only the index chunks and fragments a query needs. */
(function () {
  "use strict";
  var root = document.querySelector("[data-ta-search]");
  if (!root || !window.HTMLDialogElement) {
    return;
  }
  var dialog = root.querySelector("dialog");
  var opener = root.querySelector(".ta-search__open");
  var form = root.querySelector("[data-ta-search-form]");
  var input = root.querySelector("input");
  var filtersBox = root.querySelector("[data-ta-search-filters]");
  var folded = root.querySelector(".ta-search__filters");
  var chosenCount = root.querySelector("[data-ta-search-chosen]");
  var status = root.querySelector("[data-ta-search-status]");
  var list = root.querySelector("[data-ta-search-results]");
  var more = root.querySelector("[data-ta-search-more]");
  // The bundles stand at the site's root (pagefind/), under whatever path the site is served from; the
  // offline one (pagefind-offline/) indexes only the pages the phone keeps, and is kept with them.
  var bundles = [root.getAttribute("data-bundle"), root.getAttribute("data-offline-bundle")].map(function (path) {
    return new URL(path, document.baseURI);
  });
  var bundle = bundles[0];
  // From the bundle's turnaround.json (src/turnaround/search.py): the filters in the order staff pick them, the
  // kind first (settings.kind); the kinds that are guides, whose scores count settings.guideBoost times.
  var settings = null;
  var PAGE = 10;
  var loading = null;
  var latest = 0;
  var found = null;
  var shown = 0;
  var timer = null;

  // Pagefind once per page, from the site's bundle, or the offline one when the site's cannot be had; its result
  // URLs start at the site's root, not the host's.
  function load() {
    if (!loading) {
      loading = open_bundle(navigator.onLine === false ? bundles[1] : bundles[0]).catch(function () {
        return open_bundle(bundles[1]);
      });
      loading.catch(function () {
        loading = null;
      });
    }
    return loading;
  }

  function open_bundle(where) {
    var told = fetch(new URL("turnaround.json", where)).then(function (response) {
      if (!response.ok) {
        throw new Error("no search settings");
      }
      return response.json();
    });
    return Promise.all([import(new URL("pagefind.js", where).href), told]).then(function (got) {
      var pagefind = got[0];
      return pagefind.options({ baseUrl: new URL("../", where).pathname, excerptLength: 22 }).then(function () {
        pagefind.init();
        settings = got[1];
        bundle = where;
        if (where === bundles[0]) {
          pagefind.filters().then(showFilters, function () {});
        } else {
          folded.hidden = true;
        }
        return pagefind;
      });
    });
  }

  // The site's bundle failed mid-search (the signal went): search the kept pages from now on.
  function fall_back() {
    if (bundle === bundles[1]) {
      return Promise.reject(new Error("offline bundle failed"));
    }
    loading = open_bundle(bundles[1]);
    return loading;
  }

  // One labelled select per filter, with the number of pages of each value.
  function showFilters(available) {
    filtersBox.textContent = "";
    settings.filters.forEach(function (name) {
      var values = available[name];
      if (!values || !Object.keys(values).length) {
        return;
      }
      var id = "ta-search-filter-" + name.toLowerCase().replace(/[^a-z]+/g, "-");
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = name;
      var select = document.createElement("select");
      select.id = id;
      select.name = name;
      select.appendChild(new Option("Any", ""));
      Object.keys(values)
        .sort()
        .forEach(function (value) {
          select.appendChild(new Option(value + " (" + values[value] + ")", value));
        });
      select.addEventListener("change", search);
      var field = document.createElement("div");
      field.className = "ta-search__filter";
      field.appendChild(label);
      field.appendChild(select);
      filtersBox.appendChild(field);
    });
    folded.hidden = !filtersBox.children.length;
  }

  function chosenFilters() {
    var chosen = {};
    filtersBox.querySelectorAll("select").forEach(function (select) {
      if (select.value) {
        chosen[select.name] = select.value;
      }
    });
    // The folded line says how many filters are on.
    var on = Object.keys(chosen).length;
    chosenCount.textContent = on ? "(" + on + " on)" : "";
    return chosen;
  }

  // Search for what is typed and chosen; an answer to an older query is dropped.
  function search() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var ticket = ++latest;
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    list.setAttribute("aria-busy", "true");
    list.removeAttribute("data-query");
    function run(pagefind) {
      var all = pagefind.search(query || null, { filters: filters });
      // Which results are guides: the same search kept to checklists and steps (the index is loaded once).
      var kept = {};
      kept[settings.kind] = { any: settings.guides };
      var guides = filters[settings.kind]
        ? Promise.resolve(null)
        : pagefind.search(query || null, { filters: Object.assign({}, filters, kept) });
      return Promise.all([all, guides]);
    }
    load()
      .then(function (pagefind) {
        return run(pagefind).catch(function () {
          return fall_back().then(run);
        });
      })
      .then(function (answers) {
        if (ticket !== latest) {
          return;
        }
        found = ranked(answers[0].results, answers[1] ? answers[1].results : []);
        shown = 0;
        list.textContent = "";
        var count = found.length;
        status.textContent = count ? count + (count === 1 ? " result" : " results") : "Nothing found. Try other words, such as what went wrong.";
        return showMore(ticket).then(function () {
          // What the list now shows: the query it answers (and no longer busy).
          if (ticket === latest) {
            list.setAttribute("data-query", query);
            list.removeAttribute("aria-busy");
          }
        });
      })
      .catch(function () {
        if (ticket === latest) {
          list.removeAttribute("aria-busy");
          status.textContent = navigator.onLine
            ? "Search could not load. Reload the page and try again."
            : "No signal: search works offline for the checklists and steps; try a step's name, such as apologize.";
        }
      });
  }

  // The results by score, a guide's counted settings.guideBoost times; equal scores keep Pagefind's order.
  function ranked(results, guides) {
    var guide = {};
    guides.forEach(function (result) {
      guide[result.id] = true;
    });
    return results
      .map(function (result, at) {
        return { result: result, at: at, score: result.score * (guide[result.id] ? settings.guideBoost : 1) };
      })
      .sort(function (a, b) {
        return b.score - a.score || a.at - b.at;
      })
      .map(function (entry) {
        return entry.result;
      });
  }

  // The next page of results, each with its kind, title, story facts and excerpt.
  function showMore(ticket) {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = shown >= found.length;
    // With no signal, only the pages kept on the phone can be shown; the others are left out and counted.
    return Promise.all(
      next.map(function (result) {
        return result.data().catch(function () {
          return null;
        });
      })
    ).then(function (pages) {
      if (ticket !== latest) {
        return;
      }
      var missing = 0;
      pages.forEach(function (page) {
        if (page) {
          list.appendChild(item(page));
        } else {
          missing += 1;
        }
      });
      if (missing && status.textContent.indexOf("not saved") < 0) {
        status.textContent += " (some not saved on this phone: they open when there is a signal)";
      }
    });
  }

  function item(page) {
    var filters = page.filters || {};
    var li = document.createElement("li");
    li.className = "ta-search__result";
    var link = document.createElement("a");
    link.href = page.url;
    var kind = document.createElement("span");
    kind.className = "ta-search__kind";
    kind.textContent = (filters[settings.kind] || [settings.page])[0];
    var title = document.createElement("span");
    title.className = "ta-search__name";
    title.textContent = (page.meta && page.meta.title) || page.url;
    link.appendChild(kind);
    link.appendChild(document.createTextNode(" "));
    link.appendChild(title);
    li.appendChild(link);
    var facts = [];
    settings.filters.slice(1).forEach(function (name) {
      (filters[name] || []).forEach(function (value) {
        facts.push([name, value]);
      });
    });
    if (facts.length) {
      var chips = document.createElement("ul");
      chips.className = "ta-search__facts";
      chips.setAttribute("aria-label", "Story facts");
      facts.forEach(function (fact) {
        var chip = document.createElement("li");
        chip.title = fact[0];
        chip.textContent = fact[1];
        chips.appendChild(chip);
      });
      li.appendChild(chips);
    }
    // A page's own summary says what it is better than a run of words around a match; other pages get the run.
    var excerpt = document.createElement("p");
    excerpt.className = "ta-search__excerpt";
    if (page.meta && page.meta.summary) {
      excerpt.textContent = page.meta.summary;
    } else {
      marked(page.excerpt || "", excerpt);
    }
    li.appendChild(excerpt);
    return li;
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep the marks, everything else as text.
  function marked(html, into) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function open() {
    if (!dialog.open) {
      dialog.showModal();
    }
    input.focus();
    input.select();
    load().catch(function () {});
  }

  opener.addEventListener("click", open);
  root.querySelector("[data-ta-search-close]").addEventListener("click", function () {
    dialog.close();
  });
  // A tap on the backdrop (the dialog itself, outside its content) closes it.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close();
    }
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  // Enter opens the first result.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) {
      first.click();
    } else {
      search();
    }
  });
  more.addEventListener("click", function () {
    showMore(latest);
  });
  // "/" opens the search from anywhere but a text field, as on Material's own sites.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !dialog.open && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
})();
