// The instrument editor's live check: while the bank text is typed, the
// server's validator (the one saving and `vigil bank validate` use) lists
// its problems under the text. Without script the page works the same;
// problems then show after saving.
(function () {
  var form = document.getElementById('source-form');
  if (!form) return;
  var area = document.getElementById('source');
  var out = document.getElementById('live-problems');
  var timer = null;
  var asked = 0;
  function render(p, mine) {
    if (mine !== asked) return;
    out.textContent = '';
    var errors = p.errors || [];
    var missing = p.translations || [];
    var head = document.createElement('p');
    head.id = 'live-status';
    head.textContent = errors.length === 0 && missing.length === 0
      ? 'No problems in the text as typed.'
      : errors.length + ' problem(s) and ' + missing.length + ' missing translation(s) in the text as typed:';
    out.appendChild(head);
    var list = document.createElement('ul');
    list.id = 'live-list';
    errors.concat(missing).slice(0, 50).forEach(function (i) {
      var li = document.createElement('li');
      li.textContent = (i.line ? 'line ' + i.line + ': ' : '') + (i.item ? '`' + i.item + '`: ' : '') + i.message;
      list.appendChild(li);
    });
    out.appendChild(list);
  }
  function check() {
    var mine = ++asked;
    fetch(form.dataset.check, { method: 'POST', body: new URLSearchParams({ source: area.value }), credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p) render(p, mine); })
      .catch(function () {});
  }
  area.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
})();
