/* Charts of the public roll-out page (/ke-hoach-dich-vu-cong/), drawn with the vendored Chart.js.
 *
 * Progressive enhancement like statistics.js: the tables are the text equivalent of each chart;
 * without JavaScript or Chart.js the chart boxes stay hidden. Data: #rollout-chart-data.
 */
(function () {
    "use strict";

    var source = document.getElementById("rollout-chart-data");
    if (!source || typeof window.Chart === "undefined") {
        return;
    }
    var data = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "vi";
    var GREEN = "#00703c";
    var GREY = "#6f777b";
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#1b1b1b";
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        window.Chart.defaults.animation = false;
    }

    function show(name) {
        var box = document.querySelector('[data-chart="' + name + '"]');
        if (!box) {
            return null;
        }
        box.hidden = false;
        return box.querySelector("canvas");
    }

    function shorten(label, size) {
        return label.length > size ? label.slice(0, size - 1) + "…" : label;
    }

    // Long agency names leave a phone's bars no room (and Chart.js cuts them at the left edge):
    // shorter labels there; the table under each chart has the full names.
    var LABEL_SIZE = window.matchMedia("(max-width: 40em)").matches ? 16 : 32;

    var bars = data.agencies.length ? show("agencies") : null;
    if (bars) {
        new window.Chart(bars, {
            type: "bar",
            data: {
                labels: data.agencies.map(function (row) { return row.label; }),
                datasets: [
                    {label: data.labels.deployed, data: data.agencies.map(function (row) { return row.deployed; }), backgroundColor: GREEN},
                    {label: data.labels.remaining, data: data.agencies.map(function (row) { return row.planned - row.deployed; }), backgroundColor: GREY}
                ]
            },
            options: {
                indexAxis: "y",
                maintainAspectRatio: false,
                locale: locale,
                scales: {
                    x: {stacked: true, beginAtZero: true, ticks: {precision: 0}},
                    y: {stacked: true, ticks: {autoSkip: false, callback: function (value) { return shorten(this.getLabelForValue(value), LABEL_SIZE); }}}
                },
                plugins: {legend: {position: "top"}}
            }
        });
    }

    var total = data.totals.deployed + data.totals.remaining;
    var doughnut = total ? show("total") : null;
    if (doughnut) {
        new window.Chart(doughnut, {
            type: "doughnut",
            data: {
                labels: [data.labels.deployed, data.labels.remaining],
                datasets: [{data: [data.totals.deployed, data.totals.remaining], backgroundColor: [GREEN, GREY], borderColor: "#ffffff", borderWidth: 2}]
            },
            options: {maintainAspectRatio: false, locale: locale, plugins: {legend: {position: "bottom"}}}
        });
    }
}());
