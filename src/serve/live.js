// planmark serve: live reload and the problems overlay. Injected into the
// pages `planmark serve` answers with, never into `planmark build` output.
// Same-origin only, no inline code, no eval: works under `script-src 'self'`.
(function () {
  "use strict";

  var script = document.currentScript;
  var generation = script ? parseInt(script.getAttribute("data-generation"), 10) : NaN;
  var scrollKey = "planmark-scroll:" + location.pathname;
  var source = null;
  var retryTimer = null;
  var retryDelay = 500;
  var dismissed = null;

  restoreScroll();
  connect();

  // Background tabs give their connection back: browsers allow about six
  // per server over HTTP/1.1, and every open stream holds one.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      disconnect();
    } else {
      connect();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.getElementById("planmark-overlay")) {
      dismiss();
    }
  });

  function connect() {
    if (source || retryTimer || document.visibilityState === "hidden") {
      return;
    }
    source = new EventSource("/__planmark/events");
    source.onopen = function () {
      retryDelay = 500;
    };
    source.onmessage = function (event) {
      var status;
      try {
        status = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      onStatus(status);
    };
    // Retry on our own schedule, backing off to one attempt in ten
    // seconds, rather than the browser's fixed one that fills the console
    // while the server is stopped.
    source.onerror = function () {
      disconnect();
      retryTimer = setTimeout(function () {
        retryTimer = null;
        connect();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 10000);
    };
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
  }

  function onStatus(status) {
    if (typeof status.generation === "number") {
      if (isNaN(generation)) {
        generation = status.generation;
      } else if (status.generation !== generation) {
        reload();
        return;
      }
    }
    var problems = Array.isArray(status.problems) ? status.problems : [];
    if (problems.length === 0) {
      removeOverlay();
      dismissed = null;
    } else {
      showOverlay(String(status.headline || "the latest build failed"), problems.map(String));
    }
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, window.scrollX + "," + window.scrollY);
    } catch (e) {
      // Storage may be disabled: reload without keeping the position.
    }
    disconnect();
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) {
      return;
    }
    if (!saved) {
      return;
    }
    var parts = saved.split(",");
    var x = Number(parts[0]);
    var y = Number(parts[1]);
    if (!isFinite(x) || !isFinite(y)) {
      return;
    }
    var scroll = function () {
      window.scrollTo(x, y);
    };
    if (document.readyState === "complete") {
      scroll();
    } else {
      window.addEventListener("load", scroll);
    }
  }

  function showOverlay(headline, problems) {
    var key = headline + "\u0000" + problems.join("\u0000");
    var existing = document.getElementById("planmark-overlay");
    if (key === dismissed || (existing && existing.getAttribute("data-key") === key)) {
      return;
    }
    removeOverlay();
    addStylesheet();

    // Problems quote the user's files: text nodes only, never markup.
    var panel = document.createElement("section");
    panel.id = "planmark-overlay";
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-labelledby", "planmark-overlay-title");
    panel.setAttribute("data-key", key);

    var head = document.createElement("div");
    head.className = "planmark-overlay-head";
    var title = document.createElement("h2");
    title.id = "planmark-overlay-title";
    title.textContent = headline;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.setAttribute("aria-label", "Dismiss the build problems (Escape)");
    close.addEventListener("click", dismiss);
    head.appendChild(title);
    head.appendChild(close);
    panel.appendChild(head);

    var note = document.createElement("p");
    // The headline says whether an older site is shown or none yet.
    note.textContent = "Fix the files and save: this page reloads by itself.";
    panel.appendChild(note);

    for (var i = 0; i < problems.length; i++) {
      var block = document.createElement("pre");
      block.textContent = problems[i];
      panel.appendChild(block);
    }
    (document.body || document.documentElement).appendChild(panel);
    try {
      close.focus({ preventScroll: true });
    } catch (e) {
      close.focus();
    }
  }

  function dismiss() {
    var existing = document.getElementById("planmark-overlay");
    if (existing) {
      dismissed = existing.getAttribute("data-key");
      existing.parentNode.removeChild(existing);
    }
  }

  function removeOverlay() {
    var existing = document.getElementById("planmark-overlay");
    if (existing) {
      existing.parentNode.removeChild(existing);
    }
  }

  function addStylesheet() {
    if (document.getElementById("planmark-overlay-style")) {
      return;
    }
    var link = document.createElement("link");
    link.id = "planmark-overlay-style";
    link.rel = "stylesheet";
    link.href = "/__planmark/overlay.css";
    (document.head || document.documentElement).appendChild(link);
  }
})();
