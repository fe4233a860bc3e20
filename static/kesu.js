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
  /* Never let typed text go without asking: <form data-unsaved="text"> and every field that
     belongs to it (inside it, or outside with form="its id") mark it changed; submitting it
     clears the mark, leaving the page with the mark asks first. */
  var dirty = null;
  document.querySelectorAll('form[data-unsaved]').forEach(function (f) {
    var mark = function (e) {
      var el = e.target;
      if (el && el.form === f && el.type !== 'hidden') dirty = f;
    };
    document.addEventListener('input', mark);
    document.addEventListener('change', mark);
    f.addEventListener('submit', function () { if (dirty === f) dirty = null; });
  });
  document.querySelectorAll('form:not([data-unsaved])').forEach(function (f) {
    /* another form's submit (an upload, a hold notice) would drop the typed text too */
    f.addEventListener('submit', function (e) {
      if (dirty && !e.defaultPrevented && !window.confirm(dirty.getAttribute('data-unsaved'))) e.preventDefault();
      else if (!e.defaultPrevented) dirty = null;
    });
  });
  window.addEventListener('beforeunload', function (e) {
    if (!dirty) return undefined;
    e.preventDefault();
    e.returnValue = dirty.getAttribute('data-unsaved');
    return e.returnValue;
  });
  var firstError = document.querySelector('[aria-invalid=true]');
  if (firstError) {
    if (firstError.scrollIntoView) firstError.scrollIntoView({ block: 'center' });
    firstError.focus();
  }
});
