// Suggest guides while a citizen writes: for every [data-guide-suggest] block, watch
// the form field it names, and after a pause post the text (never in a URL) to the
// block's data-url; show up to three links. Without this script the block's button
// opens the same suggestions as a page in a new tab.
(function () {
  "use strict";
  var PAUSE_MS = 600;
  var MIN_CHARS = 6;

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function render(list, heading, guides) {
    list.textContent = "";
    if (!guides.length) { return; }
    var title = document.createElement("p");
    title.className = "guide-suggestions__heading";
    title.textContent = heading;
    var ul = document.createElement("ul");
    ul.className = "guide-suggestions__list";
    guides.forEach(function (guide) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = guide.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = guide.title;
      li.appendChild(a);
      ul.appendChild(li);
    });
    list.appendChild(title);
    list.appendChild(ul);
  }

  function watch(block) {
    var form = block.closest("form");
    var field = form && form.elements.namedItem(block.dataset.source);
    var list = block.querySelector("[data-guide-suggest-list]");
    if (!field || !list || !window.fetch) { return; }
    var timer = null;
    var last = "";
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = field.value.trim();
        if (text.length < MIN_CHARS || text === last) { return; }
        last = text;
        var body = new FormData();
        body.append("text", text);
        fetch(block.dataset.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(form) }
        })
          .then(function (response) { return response.json(); })
          .then(function (data) { render(list, list.dataset.heading, data.guides || []); })
          .catch(function () { /* suggestions are a help, never a blocker */ });
      }, PAUSE_MS);
    });
  }

  document.querySelectorAll("[data-guide-suggest]").forEach(watch);
})();
