/*
 * Suggestions under the site search box, as the ARIA 1.2 combobox pattern with a listbox popup
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/examples/combobox-autocomplete-list/).
 *
 * The markup comes from the server (search/includes/combobox_attrs.html and suggestions.html):
 * an <input role="combobox" aria-controls="ID" data-suggest-url="..."> and an empty, hidden
 * <ul role="listbox" id="ID">. Without JavaScript, or if the request fails, the form is a plain
 * GET form to the search page. From 2 characters, after a pause in typing, up to 8 procedures
 * come from GET /api/search/suggest?q= ({code, name, url}). Up/Down move through them, Enter
 * or a tap opens the procedure, Escape closes the list; Enter with none chosen searches.
 * No dependencies; the text of each suggestion is set with textContent (never parsed as HTML).
 */
(function () {
    "use strict";

    var MIN_CHARS = 2;
    var DELAY_MS = 250;

    function typedLength(value) {
        return value.replace(/\s+/g, "").length;
    }

    function setUp(input) {
        var list = document.getElementById(input.getAttribute("aria-controls"));
        var status = document.getElementById(input.getAttribute("aria-controls") + "-status");
        var url = input.getAttribute("data-suggest-url");
        if (!list || !url || !input.form || !window.fetch) {
            return;
        }
        input.form.classList.add("search-form--suggest");

        var suggestions = [];
        var active = -1;
        var timer = null;
        var pending = null;
        var shownFor = null;
        var answers = {};

        function announce(text) {
            if (status) {
                status.textContent = text;
            }
        }

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function choose(index) {
            var options = list.children;
            for (var i = 0; i < options.length; i++) {
                options[i].setAttribute("aria-selected", i === index ? "true" : "false");
            }
            active = index;
            if (index < 0) {
                input.removeAttribute("aria-activedescendant");
                return;
            }
            input.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({block: "nearest"});
        }

        function show(query, found) {
            suggestions = found;
            shownFor = query;
            list.textContent = "";
            found.forEach(function (item, i) {
                var option = document.createElement("li");
                option.id = list.id + "-" + i;
                option.className = "search-suggest__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var name = document.createElement("span");
                name.className = "search-suggest__name";
                name.textContent = item.name;
                var code = document.createElement("span");
                code.className = "search-suggest__code";
                code.textContent = item.code;
                option.appendChild(name);
                option.appendChild(code);
                list.appendChild(option);
            });
            active = -1;
            input.removeAttribute("aria-activedescendant");
            if (found.length) {
                list.hidden = false;
                input.setAttribute("aria-expanded", "true");
                announce(found.length + " " + (list.getAttribute("data-found") || ""));
            } else {
                close();
                announce(list.getAttribute("data-none") || "");
            }
        }

        function go(index) {
            if (suggestions[index]) {
                window.location.assign(suggestions[index].url);
            }
        }

        function fetchFor(query) {
            if (Object.prototype.hasOwnProperty.call(answers, query)) {
                show(query, answers[query]);
                return;
            }
            if (pending) {
                pending.abort();
            }
            var controller = window.AbortController ? new AbortController() : null;
            pending = controller;
            var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
            window
                .fetch(address, {headers: {Accept: "application/json"}, signal: controller ? controller.signal : undefined})
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.json();
                })
                .then(function (found) {
                    found = Array.isArray(found) ? found.slice(0, 8) : [];
                    answers[query] = found;
                    // Only the answer for what is in the box now is shown.
                    if (input.value.trim() === query && document.activeElement === input) {
                        show(query, found);
                    }
                })
                .catch(function () {
                    // Aborted or failed: the plain search still works.
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            // The list on show is for what was there before: no option stays chosen.
            choose(-1);
            var query = input.value.trim();
            if (typedLength(query) < MIN_CHARS) {
                if (pending) {
                    pending.abort();
                }
                close();
                list.textContent = "";
                suggestions = [];
                shownFor = null;
                return;
            }
            timer = window.setTimeout(function () {
                fetchFor(query);
            }, DELAY_MS);
        });

        input.addEventListener("keydown", function (event) {
            var open = !list.hidden;
            var count = suggestions.length;
            switch (event.key) {
                case "ArrowDown":
                case "Down":
                    if (!count || shownFor !== input.value.trim()) {
                        return;
                    }
                    event.preventDefault();
                    if (!open) {
                        list.hidden = false;
                        input.setAttribute("aria-expanded", "true");
                    }
                    choose(active + 1 >= count ? 0 : active + 1);
                    break;
                case "ArrowUp":
                case "Up":
                    if (!count || shownFor !== input.value.trim()) {
                        return;
                    }
                    event.preventDefault();
                    if (!open) {
                        list.hidden = false;
                        input.setAttribute("aria-expanded", "true");
                    }
                    choose(active <= 0 ? count - 1 : active - 1);
                    break;
                case "Enter":
                    if (open && active >= 0) {
                        event.preventDefault();
                        go(active);
                    }
                    break;
                case "Escape":
                case "Esc":
                    if (open) {
                        // Also keeps a search box from clearing itself on Escape.
                        event.preventDefault();
                        close();
                    }
                    break;
                default:
                    break;
            }
        });

        // Keep the focus in the box while an option is pressed (mouse or touch), so that the
        // click lands on the option before the list closes.
        list.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        list.addEventListener("click", function (event) {
            var option = event.target.closest ? event.target.closest("[role=option]") : null;
            if (option) {
                go(Array.prototype.indexOf.call(list.children, option));
            }
        });
        input.addEventListener("blur", function () {
            window.setTimeout(function () {
                if (document.activeElement !== input) {
                    close();
                }
            }, 150);
        });
    }

    function start() {
        var inputs = document.querySelectorAll("input[role=combobox][data-suggest-url]");
        for (var i = 0; i < inputs.length; i++) {
            setUp(inputs[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
