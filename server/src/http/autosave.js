// Saves each answer of an employee form as it is chosen (the pulse survey
// and the employee's own inventory). The form's data-autosave names where
// to post; without script the page's buttons save the same answers.
(function () {
  var form = document.querySelector('form[data-autosave]');
  if (!form) return;
  var status = document.getElementById('save-status');
  var url = form.getAttribute('data-autosave');
  var said = { de: ['Gespeichert.', 'Nicht gespeichert – bitte „Speichern“ verwenden.'], en: ['Saved.', 'Not saved: please use “Save”.'] };
  var words = said[document.documentElement.lang] || said.en;
  form.addEventListener('change', function (e) {
    var input = e.target;
    if (!input.name || input.name.indexOf('a:') !== 0) return;
    var body = new URLSearchParams();
    body.append(input.name, input.value);
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
      .then(function (r) { status.textContent = r.ok ? words[0] : words[1]; })
      .catch(function () { status.textContent = words[1]; });
  });
})();
