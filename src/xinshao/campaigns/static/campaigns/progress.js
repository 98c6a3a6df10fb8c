// The progress page's numbers refresh every 10 seconds; on a failed refresh the last numbers stay.
(function () {
  var box = document.getElementById("progress-numbers");
  if (!box) { return; }
  function refresh() {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () {});
  }
  setInterval(refresh, 10000);
})();
