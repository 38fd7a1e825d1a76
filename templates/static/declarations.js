/* jury — a juror's conflict declarations: « Aucun conflit pour tous » in one tap.
 *
 * Progressive enhancement: without this file every candidate is answered one by one, as before. The
 * button answers « Aucun conflit » for every candidate not answered yet (a conflict already chosen stays),
 * says how many it answered, and leaves the saving to the juror, who checks the list first.
 */
(function () {
  "use strict";
  var button = document.getElementById("all-none");
  var form = document.getElementById("declarations-form");
  if (!button || !form) { return; }
  button.parentNode.hidden = false;
  button.addEventListener("click", function () {
    var answered = 0;
    form.querySelectorAll("fieldset.declaration").forEach(function (fieldset) {
      var none = fieldset.querySelector('input[type="radio"][value="none"]');
      if (!none || none.disabled) { return; }
      var chosen = fieldset.querySelector('input[type="radio"]:checked');
      if (chosen) { return; }
      none.checked = true;
      none.dispatchEvent(new Event("change", { bubbles: true }));
      answered += 1;
    });
    var status = document.getElementById("all-none-status");
    if (status) {
      // French here; a page in another language gives its text in data-messages (conflicts.html).
      var messages = {
        none: "Tous les candidats ont déjà une réponse.",
        one: "« Aucun conflit » coché pour {n} candidat : vérifiez puis enregistrez vos déclarations.",
        many: "« Aucun conflit » coché pour {n} candidats : vérifiez puis enregistrez vos déclarations."
      };
      try {
        var given = JSON.parse(status.getAttribute("data-messages") || "{}");
        Object.keys(given).forEach(function (key) { messages[key] = given[key]; });
      } catch (e) { /* the French stands */ }
      var text = answered === 0 ? messages.none : answered > 1 ? messages.many : messages.one;
      status.textContent = text.replace("{n}", String(answered));
    }
  });
}());
