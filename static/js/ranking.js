/* The ranking page (R31, R32, R7): the mean and gradation of each row, recomputed live as
   the evaluator scores, and sorting by name or by mean. The server recomputes both on
   saving; the gradation bounds come from the server (appraisal.scoring), not from here. */
(function () {
  "use strict";
  var table = document.getElementById("ranking-table");
  if (!table) { return; }
  buildControls();
  var bandsNode = document.getElementById("gradation-bands");
  var bands = bandsNode ? JSON.parse(bandsNode.textContent) : [];  // [[lower, code, label], …] highest first

  // A draft cell comes as <td class="score" data-v data-c>, in the order of the parameters'
  // <th data-code> (issue 12: the page for 300 staff stays small and quick to render); its
  // <select> and comment <textarea> are cloned from the one <template id="score-control">
  // and named as the form posts them.
  function buildControls() {
    var template = document.getElementById("score-control");
    if (!template) { return; }
    var heads = table.tHead.querySelectorAll("th[data-code]");
    var cells = table.querySelectorAll("td.score");
    for (var i = 0; i < cells.length; i++) {
      var cell = cells[i], row = cell.parentNode, head = heads[i % heads.length];
      var name = "s" + row.getAttribute("data-sheet") + "-" + head.getAttribute("data-code");
      var who = row.getAttribute("data-name") + ": ";
      var controls = template.content.cloneNode(true);
      var select = controls.querySelector("select"), comment = controls.querySelector("textarea");
      select.name = name;
      select.setAttribute("data-weight", head.getAttribute("data-weight"));
      select.setAttribute("aria-label", who + head.getAttribute("data-title"));
      select.value = cell.getAttribute("data-v") || "";
      comment.name = name + "_comment";
      comment.setAttribute("aria-label", who + comment.getAttribute("placeholder"));
      comment.value = cell.getAttribute("data-c") || "";
      cell.appendChild(controls);
    }
  }

  function rowMean(row) {
    var selects = row.querySelectorAll("select[data-weight]");
    if (!selects.length) { return null; }
    var total = 0, weights = 0;
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value === "") { return null; }
      var w = parseFloat(selects[i].getAttribute("data-weight"));
      total += parseInt(selects[i].value, 10) * w;
      weights += w;
    }
    // ROUND_HALF_UP to 0.01 (scores are non-negative, so Math.round is half-up).
    return Math.round((total / weights) * 100 + 1e-9) / 100;
  }

  function bandFor(mean) {
    for (var i = 0; i < bands.length; i++) {
      if (mean >= parseFloat(bands[i][0])) { return bands[i]; }
    }
    return null;
  }

  function refresh(row) {
    var mean = rowMean(row);
    if (!row.querySelector("select[data-weight]")) { return; }  // a sent sheet: the server's figures stay
    var meanCell = row.querySelector(".mean"), gradCell = row.querySelector(".gradation");
    row.className = row.className.replace(/\bg-\w+/g, "").trim();
    if (mean === null) {
      meanCell.textContent = "—"; gradCell.textContent = ""; row.setAttribute("data-mean", "");
      return;
    }
    var band = bandFor(mean);
    meanCell.textContent = mean.toFixed(2).replace(".", ",");
    gradCell.textContent = band ? band[2] : "";
    if (band) { row.classList.add("g-" + band[1]); }
    row.setAttribute("data-mean", mean.toFixed(2));
  }

  function sortRows(key) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      if (key === "mean") {
        var ma = a.getAttribute("data-mean"), mb = b.getAttribute("data-mean");
        if (ma === "" && mb !== "") { return 1; }
        if (mb === "" && ma !== "") { return -1; }
        if (ma !== mb) { return parseFloat(mb) - parseFloat(ma); }
      }
      return a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"), "ru");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    var hidden = document.querySelector("#ranking-form input[name=sort]");
    if (hidden) { hidden.value = key; }
    var buttons = document.querySelectorAll("#sortbar [data-sort]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].classList.toggle("active", buttons[i].getAttribute("data-sort") === key);
    }
  }

  table.addEventListener("change", function (event) {
    if (event.target.matches("select[data-weight]")) { refresh(event.target.closest("tr")); }
  });
  var sortButtons = document.querySelectorAll("#sortbar [data-sort]");
  for (var i = 0; i < sortButtons.length; i++) {
    sortButtons[i].addEventListener("click", function (event) {
      event.preventDefault();
      sortRows(this.getAttribute("data-sort"));
    });
  }
  var rows = table.tBodies[0].rows;
  for (var j = 0; j < rows.length; j++) { refresh(rows[j]); }
})();
