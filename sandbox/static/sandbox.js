// Sandbox HMIS forms, progressively enhanced: show each question only when it applies, as it is answered.
// Without this script every follow-up question is shown, and "Continue" asks the server for the questions
// of the chosen project; the server validates either way.
(function () {
  "use strict";

  // The answer a wrapper follows: the control's value, or a data- attribute of its chosen option.
  function answer(control, attr) {
    if (!control) { return ""; }
    if (attr) {
      var option = control.options[control.selectedIndex];
      return (option && option.getAttribute("data-" + attr)) || "";
    }
    return control.value;
  }

  function update() {
    var wrappers = document.querySelectorAll("[data-when-field]");
    for (var i = 0; i < wrappers.length; i++) {
      var el = wrappers[i];
      var control = document.getElementById(el.getAttribute("data-when-field"));
      var values = el.getAttribute("data-when-values").split(" ");
      var shown = values.indexOf(answer(control, el.getAttribute("data-when-attr"))) !== -1;
      el.hidden = !shown;
      // A hidden fieldset is disabled too, so an answer no longer asked is not sent.
      if (el.tagName === "FIELDSET") { el.disabled = !shown; }
    }
  }

  // 3.16 Enrollment CoC follows the project, unless the person chose another CoC themselves.
  function followProjectCoc() {
    var project = document.getElementById("ProjectID");
    var coc = document.getElementById("EnrollmentCoC");
    var filled = document.getElementById("coc_default");
    if (!project || !coc || !filled) { return; }
    var wanted = answer(project, "coc");
    if (wanted && (coc.value === "" || coc.value === filled.value)) {
      coc.value = wanted;
      filled.value = wanted;
    }
  }

  // Questions now follow the answers as they change: the no-script "Continue" button is not needed.
  var buttons = document.querySelectorAll("[data-sandbox-continue]");
  for (var b = 0; b < buttons.length; b++) { buttons[b].parentNode.removeChild(buttons[b]); }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "ProjectID") { followProjectCoc(); }
    update();
  });
  update();
}());
