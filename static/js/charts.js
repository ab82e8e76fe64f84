// Draw every Plotly figure on the page from its JSON (see apps/common/templatetags/charts.py).
(function () {
  function draw(root) {
    root.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var source = document.getElementById(element.dataset.plotlyFigure);
      if (!source || !window.Plotly) return;
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, { displayModeBar: false, responsive: true });
      element.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
