/* The header's unread-notification badge: asks unread.json every 15 s while the tab is visible,
   so an urgent notification shows without a reload. The spoken label changes only when the
   numbers do, so screen readers announce news, not every poll. */
(function () {
  "use strict";
  var INTERVAL_MS = 15000;
  var link = document.querySelector(".notify-link[data-unread-url]");
  if (!link) return;
  var badge = link.querySelector(".notify-badge");
  var label = link.querySelector(".notify-label");
  var timer = null;

  function labelFor(unread, urgent) {
    var text = urgent ? link.dataset.labelUrgent : unread ? link.dataset.labelSome : link.dataset.labelNone;
    return text.replace("{n}", String(unread)).replace("{m}", String(urgent));
  }

  function show(counts) {
    var unread = Number(counts.unread) || 0, urgent = Number(counts.urgent) || 0;
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    badge.classList.toggle("urgent", urgent > 0);
    var text = labelFor(unread, urgent);
    if (label.textContent !== text) {
      label.textContent = text;
      link.title = text;
    }
  }

  function poll() {
    fetch(link.dataset.unreadUrl, {credentials: "same-origin", cache: "no-store", headers: {Accept: "application/json"}})
      .then(function (response) {
        // After the session ends the answer is the sign-in page, not JSON: keep the last numbers.
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) throw new Error(String(response.status));
        return response.json();
      })
      .then(show)
      .catch(function () {});
  }

  function start() { if (timer === null) timer = window.setInterval(poll, INTERVAL_MS); }
  function stop() { if (timer !== null) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { stop(); } else { poll(); start(); }
  });
  if (document.visibilityState !== "hidden") start();
})();
