"""The phone's traffic record itself: a request to another host is seen, and cannot leave the machine."""

from __future__ import annotations


def test_a_request_to_another_host_is_recorded_and_fails_without_leaving(phone, site_url):
    page, traffic = phone
    page.goto(site_url)
    failure = page.evaluate(
        "fetch('https://fonts.googleapis.com/css?family=Roboto').then(() => 'fetched', e => String(e))"
    )
    assert failure.startswith("TypeError")
    assert "https://fonts.googleapis.com/css?family=Roboto" in traffic.requests
    try:
        traffic.assert_clean()
    except AssertionError as err:
        assert "requests left 127.0.0.1" in str(err)
    else:
        raise AssertionError("a request to another host went unnoticed")
    # Leave the record clean for the fixture's own check.
    traffic.requests[:] = [url for url in traffic.requests if "googleapis" not in url]
    traffic.console_errors[:] = [e for e in traffic.console_errors if "ERR_NAME_NOT_RESOLVED" not in e]
