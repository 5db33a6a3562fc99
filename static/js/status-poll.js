/*
 * The result page (and the PDF's "being prepared" page) while the PDF or the domain check is
 * on its way: ask status.json now and then, and once a part is ready swap in its markup as the
 * server renders it (status.html), then say so in the page's live region. Nothing else on the
 * page is touched, so whatever the visitor is typing in the share form stays where it is, and
 * the focus too. Without this script the page offers a plain "Check again" link instead.
 * templates/advisor/_status_poll.html holds the addresses, the states shown and every text.
 */
(function () {
  "use strict";

  // 2 s apart at first, growing to 10 s: quick when the worker is quick, gentle when it is not.
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 10000;
  var GROWTH = 1.5;
  // Where each part is, on the page and in status.html.
  var PARTS = { pdf: '[data-status-part="pdf"]', domain_check: "section.domain-check" };

  var root = document.querySelector("[data-status-poll]");
  var canSwap = "content" in document.createElement("template");
  if (!root || !window.fetch || !canSwap) {
    return; // the "Check again" link stays, as without JavaScript
  }

  var announcer = root.querySelector("[data-status-announcer]");
  var watched = root.dataset.watch.split(" ").filter(function (part) { return part in PARTS; });
  var shown = { pdf: root.dataset.pdf, domain_check: root.dataset.domainCheck };
  var deadline = Date.now() + 1000 * Number(root.dataset.pollSeconds);
  var delay = FIRST_DELAY;
  var paused = false;

  function each(selector, callback) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), callback);
  }

  // "polling": the page follows by itself, so no link that would reload it under the visitor;
  // "stalled": it stopped asking, and the link is back.
  function show(mode) {
    var polling = mode === "polling";
    each("[data-auto]", function (element) { element.hidden = !polling; });
    each("[data-stalled]", function (element) { element.hidden = polling; });
    each("[data-reload]", function (element) { element.hidden = polling; });
  }

  function announce(text) {
    if (!text || !announcer) {
      return;
    }
    announcer.textContent = "";
    // A moment apart, so that screen readers hear the new words as a change.
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  // "domain_check" and "done" -> the announcer's data-say-domain-check-done.
  function announcement(part, state) {
    var key = ("say-" + part + "-" + state).replace(/[-_]([a-z])/g, function (_match, letter) {
      return letter.toUpperCase();
    });
    return announcer ? announcer.dataset[key] : "";
  }

  function get(url, type) {
    return window.fetch(url, {
      credentials: "same-origin", cache: "no-store", headers: { Accept: type },
    });
  }

  function schedule(milliseconds) {
    window.setTimeout(poll, milliseconds);
  }

  function stall() {
    show("stalled");
    announce(announcer && announcer.dataset.sayStalled);
  }

  function finish() {
    each("[data-check-again]", function (element) { element.remove(); });
  }

  // Slower after a failure; a Retry-After from the server is honoured as it stands.
  function backOff(response) {
    var retryAfter = response ? Number(response.headers.get("Retry-After")) * 1000 : 0;
    delay = Math.max(Math.min(delay * 2, MAX_DELAY), retryAfter || 0);
    schedule(delay);
  }

  function swap(changed, status) {
    return get(root.dataset.partsUrl, "text/html").then(function (response) {
      if (!response.ok) {
        throw new Error("status.html answered " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var fresh = document.createElement("template");
      var said = [];
      fresh.innerHTML = html;
      changed.forEach(function (part) {
        var old = document.querySelector(PARTS[part]);
        var replacement = fresh.content.querySelector(PARTS[part]);
        if (old && replacement) {
          old.replaceWith(replacement);
        } else if (old) {
          old.remove(); // the consultant switched the check off meanwhile
        }
        shown[part] = status[part];
        said.push(announcement(part, status[part]));
      });
      announce(said.filter(Boolean).join(" "));
    });
  }

  function update(status) {
    var changed = watched.filter(function (part) { return status[part] !== shown[part]; });
    var swapped = changed.length ? swap(changed, status) : Promise.resolve();
    return swapped.then(function () {
      watched = watched.filter(function (part) { return status.waiting.indexOf(part) !== -1; });
      if (watched.length === 0) {
        finish();
        return;
      }
      delay = Math.min(delay * GROWTH, MAX_DELAY);
      schedule(delay);
    });
  }

  function poll() {
    if (Date.now() >= deadline) {
      stall();
      return;
    }
    if (document.hidden) {
      paused = true; // nobody is looking: ask again when they are
      return;
    }
    get(root.dataset.statusUrl, "application/json").then(function (response) {
      if (response.status === 404) {
        stall(); // the link ended meanwhile: a reload shows why
        return null;
      }
      if (!response.ok) {
        backOff(response);
        return null;
      }
      return response.json().then(update);
    }).catch(function () {
      backOff(null);
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && paused) {
      paused = false;
      poll();
    }
  });

  show("polling");
  schedule(FIRST_DELAY);
}());
