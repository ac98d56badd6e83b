/* Registers the site's service worker (sw.js, beside the manifest at the site's root) and says when a
 * newer version of the site is ready: a small notice with a button that reloads into it. */
(function () {
  "use strict";
  var manifest = document.querySelector('link[rel="manifest"]');
  if (!("serviceWorker" in navigator) || !manifest) {
    return;
  }
  // sw.js stands beside the manifest, at the site's root, whatever path the site is served under.
  var worker = new URL("sw.js", manifest.href);
  // Set when staff ask for the new version: only then does a change of worker reload the page (the first
  // worker's taking over on a first visit must not).
  var asked = false;

  // The notice: one live region, announced by screen readers, with a button that brings the new version in.
  function announce(waiting) {
    if (document.querySelector(".ta-update")) {
      return;
    }
    var notice = document.createElement("div");
    notice.className = "ta-update";
    notice.setAttribute("role", "status");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "A newer version is ready \u2014 reload";
    button.addEventListener("click", function () {
      button.disabled = true;
      asked = true;
      waiting.postMessage({ type: "SKIP_WAITING" });
    });
    notice.appendChild(button);
    document.body.appendChild(notice);
  }

  // The waiting worker took over at staff's request: reload once, into the new version.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (asked) {
      asked = false;
      window.location.reload();
    }
  });

  window.addEventListener("load", function () {
    navigator.serviceWorker
      .register(worker.href, { scope: new URL("./", worker).pathname })
      .then(function (registration) {
        // A worker already waiting from an earlier visit, or one that finishes installing now.
        if (registration.waiting && navigator.serviceWorker.controller) {
          announce(registration.waiting);
        }
        registration.addEventListener("updatefound", function () {
          var installing = registration.installing;
          installing.addEventListener("statechange", function () {
            if (installing.state === "installed" && navigator.serviceWorker.controller) {
              announce(installing);
            }
          });
        });
      })
      .catch(function () {
        // No worker (a private window, a browser setting): the site works online as before.
      });
  });
})();
