/* Registration forms, progressive enhancement only: every page works without this file.
   1. An error summary gets focus, so keyboard and screen-reader users land on it.
   2. "Which earlier courses cover the rest?" is hidden while every course is ticked and
      shown as soon as one is unticked (C5); the field never loses what was typed. */
(function () {
  "use strict";

  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  var form = document.querySelector("form[data-earlier-courses]");
  if (!form) {
    return;
  }
  var field = document.getElementById(form.getAttribute("data-earlier-courses"));
  var boxes = form.querySelectorAll('input[type="checkbox"][name="courses"]');
  if (!field || !boxes.length) {
    return;
  }

  function update() {
    var all = true;
    for (var i = 0; i < boxes.length; i += 1) {
      if (!boxes[i].checked) {
        all = false;
      }
    }
    var textarea = field.querySelector("textarea");
    var hasText = textarea && textarea.value.trim() !== "";
    var hasError = field.classList.contains("field--error");
    field.classList.toggle("is-hidden", all && !hasText && !hasError);
  }

  for (var i = 0; i < boxes.length; i += 1) {
    boxes[i].addEventListener("change", update);
  }
  update();
})();
