// Copy buttons on staff pages: <button data-copy="ID"> copies the value of
// the field with that id and says so in the page's status line
// (#copy-status). Without this script the field stays selectable by hand.
(function () {
  'use strict';
  function say(text) {
    var status = document.getElementById('copy-status');
    if (status) status.textContent = text;
  }
  function copied(field) {
    field.focus();
    field.select();
    say('Copied. Paste it into your message to the candidate.');
  }
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { copied(field); }, function () {
          field.select();
          say('Copying was not allowed here: the link is selected, copy it with your keyboard.');
        });
      } else {
        field.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        if (ok) copied(field); else say('The link is selected: copy it with your keyboard.');
      }
    });
  });
})();
