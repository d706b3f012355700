// The director's dashboard: draws the charts from the page's json_script data (the
// same numbers as the tables beside them) and makes the breakdown tables sortable.
// Each canvas gets data-chart-drawn="true" once its Chart.js instance exists.
(function () {
  "use strict";

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof window.Chart === "undefined") return null;
    var chart = new window.Chart(canvas, config);
    canvas.dataset.chartDrawn = "true";
    return chart;
  }

  function percentAxis() {
    return { y: { suggestedMin: 50, max: 100, title: { display: true, text: "%" } } };
  }

  function drawCharts() {
    var source = document.getElementById("dashboard-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var t = data.text;
    draw("chart-satisfaction", {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: t.quality, data: data.quality, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: true },
          { label: t.timeliness, data: data.timeliness, borderColor: "#198754", backgroundColor: "#198754", borderDash: [6, 3], spanGaps: true },
          { label: t.goal, data: data.goal_quality, borderColor: "#dc3545", backgroundColor: "#dc3545", borderDash: [2, 2], pointRadius: 0, stepped: true },
        ],
      },
      options: { animation: false, scales: percentAxis() },
    });
    draw("chart-volume", {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: t.opened, data: data.opened, backgroundColor: "#6c757d" },
          { label: t.closed, data: data.closed, backgroundColor: "#0d6efd" },
        ],
      },
      options: { animation: false },
    });
    draw("chart-backlog", {
      type: "bar",
      data: { labels: data.backlog_labels, datasets: [{ label: t.backlog, data: data.backlog, backgroundColor: "#fd7e14" }] },
      options: { animation: false, plugins: { legend: { display: false } } },
    });
    draw("chart-sla", {
      type: "bar",
      data: { labels: data.sla_labels, datasets: [{ label: t.sla, data: data.sla, backgroundColor: "#198754" }] },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
    });
  }

  function cellValue(row, index, numeric) {
    var text = row.cells[index].textContent.trim();
    if (!numeric) return text.toLowerCase();
    var number = parseFloat(text);
    return isNaN(number) ? -Infinity : number;
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var label = th.textContent;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 text-decoration-none fw-semibold";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var numeric = th.dataset.sort === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        if (rows.length < 2) return;
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    document.querySelectorAll("table.sortable").forEach(makeSortable);
  });
})();
