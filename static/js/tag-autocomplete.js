// Tag autocomplete: suggests tag names while typing in an input marked data-tag-autocomplete
// (the value is the tag type, or empty for any type; on a wrapper element the input inside is
// used). Comma-separated fields complete the name after the last comma; inputs also marked
// data-tag-autocomplete-single hold one name. Without JavaScript the inputs work as plain text.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = (script && script.dataset.url) || "/autocomplete/tags";
  var counter = 0;

  function setUp(host) {
    var input = host.matches("input") ? host : host.querySelector("input[type=text]");
    if (!input || input.dataset.tagAutocompleteReady) return;
    input.dataset.tagAutocompleteReady = "true";
    var type = host.getAttribute("data-tag-autocomplete") || "";
    var single = host.hasAttribute("data-tag-autocomplete-single");
    var list = document.createElement("ul");
    var listId = "tag-suggestions-" + (++counter);
    var timer = null;
    var active = -1;
    var lastTerm = null;
    list.id = listId;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.classList.add("tag-autocomplete-host");
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function currentTerm() {
      var value = input.value;
      return (single ? value : value.slice(value.lastIndexOf(",") + 1)).trim();
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      if (single) {
        input.value = name;
      } else {
        var cut = input.value.lastIndexOf(",");
        var before = cut < 0 ? "" : input.value.slice(0, cut + 1) + " ";
        input.value = before + name + ", ";
      }
      close();
      lastTerm = currentTerm();
      input.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(tags) {
      list.textContent = "";
      active = -1;
      if (!tags.length) { close(); return; }
      tags.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.textContent = tag.name;
        if (tag.canonical) item.className = "canonical";
        // mousedown, not click: the input must not lose focus (and close the list) first.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(tag.name); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function lookUp() {
      var term = currentTerm();
      if (term === lastTerm) return;
      lastTerm = term;
      if (!term) { close(); return; }
      var query = "?term=" + encodeURIComponent(term) + (type ? "&type=" + encodeURIComponent(type) : "");
      fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
        .then(function (data) { if (currentTerm() === term) show(data.tags || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("li")[active].textContent);
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-tag-autocomplete]").forEach(setUp);
})();
