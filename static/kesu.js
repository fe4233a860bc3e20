/* kesu.js: small progressive enhancements; every page works without it. */
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  /* Irreversible acts ask first: <form data-confirm="text">. */
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
  /* Keep a double click from submitting a form twice. */
  document.querySelectorAll('form[method=post]').forEach(function (f) {
    f.addEventListener('submit', function () {
      var b = f.querySelector('button[type=submit]');
      if (b) setTimeout(function () { b.disabled = true; }, 0);
    });
  });
  /* What waits for me: the count beside "My work" on every page. */
  var wc = document.getElementById('work-count');
  if (wc && window.fetch) {
    fetch('/work', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (j && typeof j.total === 'number' && j.total > 0) { wc.textContent = j.total; wc.hidden = false; }
      })
      .catch(function () {});
  }
  var firstError = document.querySelector('[aria-invalid=true]');
  if (firstError) firstError.focus();
});
