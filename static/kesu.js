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
  /* The count beside "My work" is rendered by the server on every page: no request here. */
  var firstError = document.querySelector('[aria-invalid=true]');
  if (firstError) firstError.focus();
});
