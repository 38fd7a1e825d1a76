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
      status.textContent = answered === 0 ? "Tous les candidats ont déjà une réponse." :
        "« Aucun conflit » coché pour " + answered + " candidat" + (answered > 1 ? "s" : "") +
        " : vérifiez puis enregistrez vos déclarations.";
    }
  });
}());
