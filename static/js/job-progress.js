// The status page of a background job (templates/appraisal/job_detail.html): polls the job's
// small JSON status, moves the <progress> bar, and reloads the page once the job has finished
// so that the server shows the file (or the error). No inline script: CSP allows 'self' only.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") { return; }
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var state = document.getElementById("job-state");
  var delay = 1000;

  function show(status) {
    if (bar && status.total) { bar.max = status.total; bar.value = status.done; }
    if (count) { count.textContent = status.done + " / " + status.total; }
    if (state) { state.textContent = status.state_label; }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) { window.location.reload(); return; }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or away: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
}());
