// A job page follows its export until it is done or failed, then shows the download link or the reason.
(function () {
  var box = document.getElementById("export-job");
  if (!box || box.dataset.finished === "1") { return; }
  var state = document.getElementById("export-state");
  var count = document.getElementById("export-count");
  var bar = document.getElementById("export-bar");
  var message = document.getElementById("export-message");
  var download = document.getElementById("export-download");
  function show(job) {
    state.textContent = job.state_label;
    count.textContent = job.rows_total ? job.rows_done + " / " + job.rows_total : "";
    if (job.percent !== null) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
    if (job.message) { message.textContent = job.message; message.hidden = false; }
    download.hidden = job.state !== "done";
    return job.finished;
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (job) { if (!show(job)) { setTimeout(poll, 2000); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
