// Refreshes the alert inbox rows every few seconds, so a new alert appears without a reload.
(function () {
  "use strict";
  var rows = document.getElementById("inbox-rows");
  var news = document.getElementById("inbox-news");
  if (!rows) { return; }
  var seconds = Math.max(2, parseInt(rows.dataset.interval, 10) || 5);

  function ids(html) {
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    return Array.prototype.map.call(holder.querySelectorAll("tr[data-alert]"), function (tr) {
      return tr.dataset.alert;
    });
  }

  function refresh() {
    if (document.hidden) { return; }
    fetch(rows.dataset.rowsUrl, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || html === rows.innerHTML) { return; }
        var before = ids(rows.innerHTML);
        var added = ids(html).filter(function (id) { return before.indexOf(id) === -1; });
        rows.innerHTML = html;
        if (added.length) {
          news.textContent = rows.dataset.newsOne;
          news.hidden = false;
        }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
