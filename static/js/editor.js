/* Fanfold's rich text editor.
 *
 * Progressive enhancement of <textarea data-editor="rich">: when the writer picks "Rich text"
 * in the form's text_format choice, the textarea is replaced on screen by an editable area with
 * a small toolbar (bold, italic, underline, strikethrough, heading, quote, lists, link), and
 * every change is written back into the textarea as HTML, so the form posts exactly what it
 * would without JavaScript. "HTML" and "Plain text" show the textarea itself. The server
 * sanitizes whatever arrives; the cleaning here only keeps the writer's own browser from running
 * markup they pasted or typed while it is shown in the editable area.
 * No external libraries, no inline scripts.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var BUTTONS = [
    { command: "bold", label: "Bold", text: "B", cls: "editor-bold" },
    { command: "italic", label: "Italic", text: "I", cls: "editor-italic" },
    { command: "underline", label: "Underline", text: "U", cls: "editor-underline" },
    { command: "strikeThrough", label: "Strikethrough", text: "S", cls: "editor-strike" },
    { command: "formatBlock", value: "h3", label: "Heading", text: "H" },
    { command: "formatBlock", value: "blockquote", label: "Quote", text: "\u201C\u201D" },
    { command: "insertUnorderedList", label: "Bulleted list", text: "\u2022 List" },
    { command: "insertOrderedList", label: "Numbered list", text: "1. List" },
    { command: "createLink", label: "Link", text: "Link" },
  ];

  // What the editable area may hold: the elements and attributes the archive keeps (as in
  // fanfold/works/text.py), so editing a chapter never loses its tables or images. Anything
  // else is unwrapped (its text kept) or dropped with its content.
  var ALLOWED = {};
  ("a abbr acronym address b big blockquote br caption center cite code col colgroup dd del " +
    "details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li ol p pre " +
    "q rp rt ruby s samp small span strike strong sub summary sup table tbody td tfoot th thead " +
    "tr tt u ul var").split(" ").forEach(function (tag) { ALLOWED[tag.toUpperCase()] = true; });
  var ATTRIBUTES = {
    "*": ["title", "align", "class", "dir", "lang"],
    A: ["href", "name"], IMG: ["src", "alt", "width", "height"],
    TD: ["colspan", "rowspan", "scope"], TH: ["colspan", "rowspan", "scope"],
    COL: ["span", "width"], COLGROUP: ["span", "width"], BLOCKQUOTE: ["cite"], Q: ["cite"],
    DEL: ["cite", "datetime"], INS: ["cite", "datetime"], OL: ["start", "type", "reversed"],
    UL: ["type"],
  };
  var DROPPED = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1, TITLE: 1, META: 1, LINK: 1 };
  var SAFE_LINK = /^(https?:|mailto:|\/|#)/i;
  var WEB_URL = /^https?:\/\/[^\s\/?#]/i;

  function attributeAllowed(tag, name, value) {
    if ((ATTRIBUTES[tag] || []).indexOf(name) < 0 && ATTRIBUTES["*"].indexOf(name) < 0) return false;
    value = value.trim();
    if (name === "href") return SAFE_LINK.test(value);
    if (name === "src" || name === "cite") return WEB_URL.test(value);
    return true;
  }
  var BLOCKS = /^(P|DIV|H[1-6]|BLOCKQUOTE|UL|OL|LI|PRE|HR)$/;

  function cleanNode(node, doc) {
    var children = Array.prototype.slice.call(node.childNodes);
    children.forEach(function (child) {
      if (child.nodeType === 3) return; // text
      if (child.nodeType !== 1) { child.remove(); return; }
      var tag = child.tagName.toUpperCase();
      if (DROPPED[tag]) { child.remove(); return; }
      cleanNode(child, doc);
      if (!ALLOWED[tag]) {
        while (child.firstChild) node.insertBefore(child.firstChild, child);
        child.remove();
        return;
      }
      Array.prototype.slice.call(child.attributes).forEach(function (attribute) {
        var name = attribute.name.toLowerCase();
        if (!attributeAllowed(tag, name, attribute.value)) child.removeAttribute(attribute.name);
      });
    });
  }

  function cleanHtml(html) {
    // DOMParser builds an inert document: nothing in it runs or loads.
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    cleanNode(doc.body, doc);
    return doc.body.innerHTML;
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function textToHtml(text) {
    text = (text || "").replace(/\r\n?/g, "\n").trim();
    if (!text) return "";
    return text.split(/\n[ \t]*\n\s*/).map(function (block) {
      return "<p>" + block.split("\n").map(escapeHtml).join("<br>") + "</p>";
    }).join("\n");
  }

  function htmlToText(html) {
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    var out = "";
    function walk(node) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === 3) { out += child.nodeValue.replace(/\s+/g, " "); return; }
        if (child.nodeType !== 1) return;
        var tag = child.tagName.toUpperCase();
        if (tag === "BR") { out += "\n"; return; }
        var block = BLOCKS.test(tag);
        if (block && out && !/\n\n$/.test(out)) out = out.replace(/\n?$/, "\n\n");
        walk(child);
        if (block && !/\n\n$/.test(out)) out = out.replace(/\n?$/, "\n\n");
      });
    }
    walk(doc.body);
    return out.replace(/[ \t]+\n/g, "\n").replace(/\n[ \t]+/g, "\n").trim();
  }

  function Editor(textarea) {
    var form = textarea.form;
    var radios = form ? Array.prototype.slice.call(form.querySelectorAll('input[name="text_format"]')) : [];
    var label = form && textarea.id ? form.querySelector('label[for="' + textarea.id + '"]') : null;

    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";
    wrapper.hidden = true;

    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    var buttons = BUTTONS.map(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary editor-button";
      button.textContent = spec.text;
      button.title = spec.label;
      button.setAttribute("aria-label", spec.label);
      button.setAttribute("aria-pressed", "false");
      button.dataset.command = spec.command;
      if (spec.cls) button.classList.add(spec.cls);
      // Keep the selection in the editable area when a button is pressed.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () { run(spec); });
      toolbar.appendChild(button);
      return { spec: spec, element: button };
    });

    var area = document.createElement("div");
    area.className = "editor-area userstuff";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("spellcheck", "true");
    area.dataset.testid = "rich-editor";
    if (label) {
      if (!label.id) label.id = textarea.id + "_label";
      area.setAttribute("aria-labelledby", label.id);
    } else {
      area.setAttribute("aria-label", "Text");
    }
    if (textarea.getAttribute("aria-describedby")) {
      area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }

    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);

    var mode = null;

    function sync() {
      var html = area.innerHTML;
      // An area the writer emptied holds only an empty paragraph or a lone <br>.
      textarea.value = area.textContent.trim() || area.querySelector("hr") ? html : "";
    }

    function currentBlock() {
      var selection = window.getSelection();
      if (!selection.rangeCount) return null;
      var node = selection.getRangeAt(0).startContainer;
      while (node && node !== area) {
        if (node.nodeType === 1 && BLOCKS.test(node.tagName)) return node.tagName.toLowerCase();
        node = node.parentNode;
      }
      return null;
    }

    function run(spec) {
      area.focus();
      if (spec.command === "createLink") {
        var address = window.prompt("Link address (for example https://example.org):", "https://");
        if (address === null) return;
        address = address.trim();
        if (!address || address === "https://") {
          document.execCommand("unlink");
        } else if (SAFE_LINK.test(address)) {
          document.execCommand("createLink", false, address);
        } else {
          window.alert("Links must start with https://, http:// or mailto:.");
          return;
        }
      } else if (spec.command === "formatBlock") {
        // Pressing Heading or Quote again turns the block back into a paragraph.
        var value = currentBlock() === spec.value ? "p" : spec.value;
        document.execCommand("formatBlock", false, "<" + value + ">");
      } else {
        document.execCommand(spec.command, false, null);
      }
      sync();
      updateButtons();
    }

    function updateButtons() {
      var block = currentBlock();
      buttons.forEach(function (button) {
        var spec = button.spec;
        var pressed = false;
        try {
          if (spec.command === "formatBlock") pressed = block === spec.value;
          else if (spec.command !== "createLink") pressed = document.queryCommandState(spec.command);
        } catch (error) {
          pressed = false;
        }
        button.element.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }

    function setMode(next) {
      if (next === mode) return;
      if (mode === "rich") sync();
      var previous = mode;
      mode = next;
      if (next === "rich") {
        var value = textarea.value;
        area.innerHTML = cleanHtml(previous === "plain" ? textToHtml(value) : value);
        wrapper.hidden = false;
        textarea.hidden = true;
      } else {
        if (previous === "rich" && next === "plain") textarea.value = htmlToText(textarea.value);
        else if (previous === "plain" && next === "html") textarea.value = textToHtml(textarea.value);
        wrapper.hidden = true;
        textarea.hidden = false;
      }
    }

    try {
      document.execCommand("defaultParagraphSeparator", false, "p");
    } catch (error) {
      /* older browsers: divs instead of paragraphs, which the server accepts too */
    }
    area.addEventListener("input", sync);
    area.addEventListener("keyup", updateButtons);
    area.addEventListener("mouseup", updateButtons);
    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) return;
      event.preventDefault();
      var html = data.getData("text/html");
      var cleaned = html ? cleanHtml(html) : textToHtml(data.getData("text/plain"));
      document.execCommand("insertHTML", false, cleaned);
      sync();
    });
    if (form) form.addEventListener("submit", function () { if (mode === "rich") sync(); });
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) setMode(radio.value); });
    });
    var checked = radios.filter(function (radio) { return radio.checked; })[0];
    setMode(checked ? checked.value : "rich");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('textarea[data-editor="rich"]'), function (textarea) {
      Editor(textarea);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
