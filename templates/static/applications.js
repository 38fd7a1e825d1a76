// Checks an application as the applicant types: the edition's rules are asked of the server (nothing is
// written), and each refusal shows beside its field and in the list above the button.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var url = form.getAttribute("data-check");
  var box = document.getElementById("checks");
  var touched = {};
  var timer = null;

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "file" && el.name !== "site_web") { values[el.name] = el.value; }
    });
    return values;
  }

  function show(result) {
    var byField = {};
    (result.errors || []).forEach(function (e) { (byField[e.field] = byField[e.field] || []).push(e.message); });
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (el) {
      var name = el.getAttribute("data-field");
      el.textContent = touched[name] && byField[name] ? byField[name].join(" ") : "";
    });
    box.textContent = "";
    var failures = (result.failures || []).filter(function (f) { return f.rule !== "required_field"; });
    if (failures.length) {
      var title = document.createElement("p");
      title.textContent = "Votre candidature ne remplit pas encore les règles de l'édition :";
      var list = document.createElement("ul");
      failures.forEach(function (f) {
        var item = document.createElement("li");
        item.textContent = f.message;
        list.appendChild(item);
      });
      box.appendChild(title);
      box.appendChild(list);
    } else if (result.eligible) {
      var ok = document.createElement("p");
      ok.className = "ok";
      ok.textContent = "Votre candidature remplit les règles de l'édition.";
      box.appendChild(ok);
    }
  }

  function check() {
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(fields()),
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (result) {
      if (result) { show(result); }
    }).catch(function () { /* offline: the server checks again on submit */ });
  }

  form.addEventListener("input", function (event) {
    if (event.target.name) { touched[event.target.name] = true; }
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name) { touched[event.target.name] = true; }
    clearTimeout(timer);
    timer = setTimeout(check, 100);
  });
})();
