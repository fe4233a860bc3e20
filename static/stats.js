/* stats.js: the charts of /stats, drawn with Debian's Chart.js from the page's own
   <script type="application/json" id="stats-chart-data">; the tables stay for JS off and print. */
document.addEventListener('DOMContentLoaded', function () {
  var el = document.getElementById('stats-chart-data');
  if (!el || typeof window.Chart === 'undefined') return;
  var data;
  try { data = JSON.parse(el.textContent); } catch (e) { return; }
  var box = document.getElementById('stats-charts');
  if (box) box.hidden = false;
  var colours = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563',
    '#65a30d', '#ea580c'];
  function draw(id, type, d, title, opts) {
    var canvas = document.getElementById(id);
    if (!canvas || !d) return;
    var ds = { label: title, data: d.counts };
    if (type === 'doughnut') ds.backgroundColor = colours.slice(0, d.counts.length);
    else { ds.backgroundColor = '#2563eb'; ds.borderColor = '#2563eb'; }
    var options = { animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: type === 'doughnut' }, title: { display: true, text: title } } };
    if (opts) Object.keys(opts).forEach(function (k) { options[k] = opts[k]; });
    canvas.chart = new window.Chart(canvas.getContext('2d'), { type: type, data: { labels: d.labels, datasets: [ds] },
      options: options });
    canvas.setAttribute('data-drawn', '1');
  }
  var t = data.titles || {};
  draw('chart-trend', 'line', data.trend, t.trend);
  draw('chart-category', 'doughnut', data.category, t.category);
  draw('chart-severity', 'bar', data.severity, t.severity);
  draw('chart-kpi', 'bar', data.kpi, t.kpi, { indexAxis: 'y', scales: { x: { min: 0, max: 100 } } });
});
