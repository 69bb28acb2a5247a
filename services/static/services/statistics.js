/* Charts of the public statistics page (/thong-ke/), drawn with the vendored Chart.js.
 *
 * Progressive enhancement: the figures are in the page's tables, which stay the text
 * equivalent of each chart. Without JavaScript, or if Chart.js fails to load, the chart boxes
 * keep their `hidden` attribute and nothing else changes. Data come from the JSON script
 * element #statistics-chart-data written by the server (views_statistics._chart_data).
 */
(function () {
    "use strict";

    var source = document.getElementById("statistics-chart-data");
    if (!source || typeof window.Chart === "undefined") {
        return;
    }
    var data = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "vi";
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // Colours of portal.css: 5.9:1 green, 7.6:1 red, 7.8:1 blue, 3:1+ ochre against white.
    var GREEN = "#00703c";
    var RED = "#a3151b";
    var BLUE = "#0b4ea2";
    var OCHRE = "#b58100";

    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#1b1b1b";
    if (reduceMotion) {
        window.Chart.defaults.animation = false;
    }

    function number(value) {
        return new Intl.NumberFormat(locale).format(value);
    }

    function shorten(label, size) {
        return label.length > size ? label.slice(0, size - 1) + "…" : label;
    }

    // Long agency names leave a phone's bars no room (and Chart.js cuts them at the left edge):
    // shorter labels there; the table under each chart has the full names.
    var LABEL_SIZE = window.matchMedia("(max-width: 40em)").matches ? 16 : 32;

    function show(name) {
        var box = document.querySelector('[data-chart="' + name + '"]');
        if (!box) {
            return null;
        }
        box.hidden = false;
        return box.querySelector("canvas");
    }

    // Bars are shares of each row's processed dossiers (100 % stacked), so that a small agency's
    // on-time rate reads as clearly as a large one's; the tooltip gives the counts too.
    function share(bar, part) {
        var processed = bar.in_time + bar.late;
        return processed ? 100 * bar[part] / processed : 0;
    }

    var barsCanvas = data.bars.length ? show("timeliness") : null;
    if (barsCanvas) {
        var percentFormat = new Intl.NumberFormat(locale, {maximumFractionDigits: 1});
        new window.Chart(barsCanvas, {
            type: "bar",
            data: {
                labels: data.bars.map(function (bar) { return bar.label; }),
                datasets: [
                    {label: data.labels.in_time, data: data.bars.map(function (bar) { return share(bar, "in_time"); }), backgroundColor: GREEN},
                    {label: data.labels.late, data: data.bars.map(function (bar) { return share(bar, "late"); }), backgroundColor: RED}
                ]
            },
            options: {
                indexAxis: "y",
                maintainAspectRatio: false,
                locale: locale,
                scales: {
                    x: {stacked: true, min: 0, max: 100, ticks: {callback: function (value) { return value + "%"; }}},
                    y: {
                        stacked: true,
                        ticks: {
                            autoSkip: false,
                            callback: function (value) { return shorten(this.getLabelForValue(value), LABEL_SIZE); }
                        }
                    }
                },
                plugins: {
                    legend: {position: "top"},
                    tooltip: {
                        callbacks: {
                            label: function (item) {
                                var bar = data.bars[item.dataIndex];
                                var count = item.datasetIndex === 0 ? bar.in_time : bar.late;
                                return item.dataset.label + ": " + percentFormat.format(item.raw) + "% (" + number(count) + ")";
                            }
                        }
                    }
                }
            }
        });
    }

    var total = data.channels.reduce(function (sum, channel) { return sum + channel.value; }, 0);
    var channelsCanvas = total ? show("channels") : null;
    if (channelsCanvas) {
        new window.Chart(channelsCanvas, {
            type: "doughnut",
            data: {
                labels: data.channels.map(function (channel) { return channel.label; }),
                datasets: [{
                    data: data.channels.map(function (channel) { return channel.value; }),
                    backgroundColor: [BLUE, GREEN, OCHRE],
                    borderColor: "#ffffff",
                    borderWidth: 2
                }]
            },
            options: {
                maintainAspectRatio: false,
                locale: locale,
                plugins: {
                    legend: {position: "bottom"},
                    tooltip: {
                        callbacks: {
                            label: function (item) {
                                var share = new Intl.NumberFormat(locale, {maximumFractionDigits: 1}).format(100 * item.raw / total);
                                return item.label + ": " + number(item.raw) + " (" + share + "%)";
                            }
                        }
                    }
                }
            }
        });
    }
}());
