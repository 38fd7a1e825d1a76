/* jury — « Copier » beside a read-only field (the winners' private links, shown once).
 *
 * Progressive enhancement: the buttons are hidden without this file (the field can still be selected by
 * hand). A tap copies the field's text and says so on the button for two seconds.
 */
(function () {
  "use strict";
  function enhance() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.getAttribute("data-enhanced")) { return; }
      button.setAttribute("data-enhanced", "true");
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        if (!field) { return; }
        var done = function () {
          button.textContent = "Copié";
          window.setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
        } else {
          field.select();
          try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: copy by hand */ }
        }
      });
    });
  }
  enhance();
  document.addEventListener("htmx:afterSettle", enhance);
}());
