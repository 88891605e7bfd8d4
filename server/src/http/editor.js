// The instrument editor's live check: while the bank text is typed, its
// problems are listed under the text. The check runs in the browser, in
// WASM (/pkg/bankcheck.js: the same Rust function the server saves with);
// where WebAssembly or that file is missing, the server checks instead
// (POST /drafts/{id}/check). Without script the page works the same;
// problems then show after saving. #live-status says which one checked
// (data-checker="browser" or "server").
(function () {
  var form = document.getElementById('source-form');
  if (!form) return;
  var area = document.getElementById('source');
  var out = document.getElementById('live-problems');
  var timer = null;
  var asked = 0;
  // The checker in the browser: a promise of a function text -> problems, or of null.
  var inBrowser = typeof WebAssembly === 'object'
    ? import('/pkg/bankcheck.js')
        .then(function (m) { return m.default().then(function () { return function (text) { return JSON.parse(m.check(text)); }; }); })
        .catch(function () { return null; })
    : Promise.resolve(null);
  function render(p, mine, checker) {
    if (mine !== asked) return;
    out.textContent = '';
    var errors = p.errors || [];
    var missing = p.translations || [];
    var head = document.createElement('p');
    head.id = 'live-status';
    head.dataset.checker = checker;
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
  function askServer(mine) {
    fetch(form.dataset.check, { method: 'POST', body: new URLSearchParams({ source: area.value }), credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p) render(p, mine, 'server'); })
      .catch(function () {});
  }
  function check() {
    var mine = ++asked;
    inBrowser.then(function (checkText) {
      if (!checkText) return askServer(mine);
      var problems;
      try { problems = checkText(area.value); } catch (e) { return askServer(mine); }
      render(problems, mine, 'browser');
    });
  }
  area.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
})();
