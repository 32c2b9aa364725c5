// With JavaScript, choosing a chapter in the chapter index goes there at once; without it,
// the form's Go button does the same.
document.querySelectorAll("form.chapter-jump").forEach(function (form) {
  var select = form.querySelector("select");
  form.querySelector("button").hidden = true;
  select.addEventListener("change", function () { form.submit(); });
});
