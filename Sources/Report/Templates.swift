// The report's Mustache templates. Logic-less: the view models (ReportBuilder) compute every word
// and number; templates only place them. `{{x}}` escapes; `{{{x}}}` is used for the SVG alone,
// which SVGCanvas built with every text and attribute escaped.

enum Templates {
    static let style = """
        body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;line-height:1.4;background:#fff}
        main{max-width:960px;margin:0 auto;padding:16px 24px 48px}
        header.top{background:#12436D;color:#fff;padding:12px 24px}
        header.top a{color:#fff}
        h1{font-size:2rem;margin:.5em 0 .2em}h2{font-size:1.5rem;margin-top:1.6em;border-top:2px solid #12436D;padding-top:.4em}
        h3{font-size:1.1rem;margin:.8em 0 .3em}
        .meta{color:#505a5f}
        .na{background:#f3f2f1;border-left:5px solid #b1b4b6;padding:8px 12px}
        ul.glance li{margin:.4em 0}
        figure.chart{margin:1em 0 2em;padding:0;page-break-inside:avoid;break-inside:avoid}
        figure.chart svg{width:100%;max-width:760px;height:auto}
        figcaption{font-size:.9rem;color:#505a5f}
        .alt{font-size:.9rem}
        table{border-collapse:collapse;font-size:.85rem;margin:.5em 0}
        th,td{border-bottom:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}
        td.num,th.num{text-align:right}
        td.nowrap{white-space:nowrap}
        caption{text-align:left;font-weight:bold;padding:4px 0}
        a{color:#1d70b8}
        nav.contents ol{columns:2}
        pre{background:#f3f2f1;padding:8px;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}
        .tag{display:inline-block;padding:1px 6px;background:#e5e6e7;font-size:.8rem}
        @page{size:A4;margin:14mm}
        @media print{header.top{background:none;color:#0b0c0c;padding:0}header.top a{color:#0b0c0c}
        details::details-content{content-visibility:visible;display:block}details>summary{display:none}
        .download{display:none}main{max-width:none;padding:0}h2{page-break-after:avoid;break-after:avoid}}
        """

    static let layout = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}}</title>
        <style>{{{style}}}</style>
        </head>
        <body>
        <header class="top"><a href="index.html">{{topName}}</a> · <a href="methods.html">Data and methods</a></header>
        <main>
        {{{content}}}
        </main>
        </body>
        </html>

        """

    static let figure = """
        <figure class="chart" id="{{id}}">
        <h3>{{title}}</h3>
        {{{svg}}}
        <figcaption>{{caption}}</figcaption>
        <p class="alt"><strong>In words:</strong> {{alt}}</p>
        <details><summary>Show the data behind this chart</summary>
        <table><thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody></table>
        </details>
        <p class="download"><a href="{{download}}">Download this data (CSV)</a></p>
        </figure>

        """

    static let place = """
        <h1>{{name}}: the health gap</h1>
        <p class="meta">{{kind}} · latest period {{period}} · {{planName}}</p>
        <nav class="contents" aria-label="Contents"><ol>
        <li><a href="#glance">At a glance</a></li><li><a href="#gap">The gap within {{name}}</a></li>
        <li><a href="#health">How long in good health</a></li><li><a href="#changing">Is the gap changing?</a></li>
        <li><a href="#beacon">Beacon indicators</a></li><li><a href="#makeup">What makes up the gap</a></li>
        <li><a href="#data">Data and methods</a></li></ol></nav>
        <section id="glance"><h2>At a glance</h2>
        <ul class="glance">{{#glance}}<li>{{text}}{{#link}} <a href="#{{link}}">See the chart</a>{{/link}}</li>{{/glance}}</ul>
        </section>
        <section id="gap"><h2>The gap within {{name}}</h2>
        {{#gapFigures}}{{{html}}}{{/gapFigures}}{{^gapFigures}}<p class="na">No deprivation breakdown with a slope index of inequality is available in this run.</p>{{/gapFigures}}
        </section>
        <section id="health"><h2>How long in good health</h2>
        <p class="na">Healthy life expectancy, and the years lived in poorer health, by decile: not available in this run.</p>
        </section>
        <section id="changing"><h2>Is the gap changing?</h2>
        <p class="na">{{verdict}}</p>
        {{#trendFigures}}{{{html}}}{{/trendFigures}}
        </section>
        <section id="beacon"><h2>Beacon indicators</h2>
        <table><caption>Beacon indicators for {{name}}, latest period</caption>
        <thead><tr><th scope="col">Indicator</th><th scope="col">Period</th><th scope="col" class="num">{{name}}</th><th scope="col" class="num">{{topName}}</th><th scope="col" class="num">Region</th><th scope="col" class="num">England</th><th scope="col">Compared with {{comparedWith}}</th><th scope="col">Trend</th><th scope="col">Among the {{peerWord}}</th><th scope="col">Over time</th></tr></thead>
        <tbody>{{#beacon}}<tr><th scope="row">{{indicator}}<br><span class="meta">{{definition}}</span></th><td class="nowrap">{{period}}</td><td class="num">{{value}}</td><td class="num">{{top}}</td><td class="num">{{region}}</td><td class="num">{{england}}</td><td>{{comparison}}</td><td>{{trend}}</td><td>{{{spine}}}<br><span class="meta">{{rank}}</span></td><td>{{{sparkline}}}<br><span class="meta">{{sparkText}}</span></td></tr>{{/beacon}}</tbody></table>
        <p class="meta">{{beaconNote}}</p>
        </section>
        <section id="makeup"><h2>What makes up the gap</h2>
        {{#makeupText}}<p>{{.}}</p>
        {{/makeupText}}{{#makeupFigures}}{{{html}}}{{/makeupFigures}}{{^makeupText}}<p class="na">The gap by cause of death and by age band, in years: not available in this run.</p>
        {{/makeupText}}</section>
        <section id="data"><h2>Data and methods</h2>
        <ul>{{#downloads}}<li><a href="{{href}}">{{label}}</a></li>{{/downloads}}</ul>
        <p>How the numbers are made (the SII model, suppression rules, the IMD edition, a glossary): <a href="methods.html">Data and methods</a>. {{rulesNote}}</p>
        </section>

        """

    static let index = """
        <h1>{{name}}: the health gap</h1>
        <p class="meta">{{kind}} · latest period {{period}} · {{planName}}</p>
        <section id="glance"><h2>At a glance</h2>
        <ul class="glance">{{#glance}}<li>{{text}}{{#link}} <a href="#{{link}}">See the chart</a>{{/link}}</li>{{/glance}}</ul>
        </section>
        <section id="by-area"><h2>{{peerTitle}}</h2>
        {{#figures}}{{{html}}}{{/figures}}{{^figures}}<p class="na">No values by {{peerWordSingular}} in this run.</p>{{/figures}}
        </section>
        <section id="table"><h2>{{peerTitle}} and indicators</h2>
        <table><caption>Latest values by {{peerWordSingular}}; each name links to its page</caption>
        <thead><tr><th scope="col">{{peerHeading}}</th>{{#headings}}<th scope="col" class="num">{{.}}</th>{{/headings}}</tr></thead>
        <tbody>{{#areaRows}}<tr><th scope="row"><a href="{{href}}">{{name}}</a></th>{{#cells}}<td class="num"><a href="{{href}}#beacon">{{value}}</a>{{#comparison}}<br><span class="tag">{{comparison}}</span>{{/comparison}}</td>{{/cells}}</tr>{{/areaRows}}</tbody></table>
        <p class="meta">{{comparisonNote}}</p>
        </section>
        <section id="list"><h2>The {{peerWord}}</h2>
        <ul>{{#areaRows}}<li><a href="{{href}}">{{name}}</a></li>{{/areaRows}}</ul>
        </section>

        """

    static let methods = """
        <h1>Data and methods</h1>
        <p class="meta">{{planName}} · run {{run}}</p>
        <section><h2>Where the numbers come from</h2>
        <table><caption>Inputs</caption><thead><tr><th scope="col">Input</th><th scope="col">File</th><th scope="col" class="num">Bytes</th><th scope="col">SHA-256</th></tr></thead>
        <tbody>{{#inputs}}<tr><td>{{name}}</td><td>{{path}}</td><td class="num">{{bytes}}</td><td><code>{{sha256}}</code></td></tr>{{/inputs}}</tbody></table>
        <p>Deprivation: {{imd}}. Periods: {{periods}}. Records read: {{records}}.</p>
        </section>
        <section><h2>What was suppressed and why</h2>
        {{#hasSuppressed}}<table><thead><tr><th scope="col">Reason</th><th scope="col" class="num">Values</th></tr></thead>
        <tbody>{{#suppressed}}<tr><td>{{reason}}</td><td class="num">{{count}}</td></tr>{{/suppressed}}</tbody></table>{{/hasSuppressed}}
        {{^hasSuppressed}}<p>No value was suppressed.</p>{{/hasSuppressed}}
        <p>A value is suppressed when it cannot be estimated reliably: a life table with too small a population, a rate from fewer than 10 events (METHODS.md). Suppressed cells are shown as gaps in the charts, with the reason in the table beside them.</p>
        </section>
        <section><h2>How the gap is measured</h2>
        <p>The slope index of inequality (SII) is the difference between the most and least deprived ends of the deprivation scale, from a straight line fitted to the values of all deciles, weighted by their populations; each decile stands at the middle of its share of the population ranked from most to least deprived. Its 95% confidence interval comes from simulation (the plan sets the number of repetitions; manifest.json records it). Life-expectancy gaps are positive when the least deprived live longer; rate gaps are stated as higher in the most deprived by so much. The relative index of inequality (RII) is the ratio of the two ends of the same line.</p>
        <p>Values are rounded as OHID publishes them: life expectancy and rates to 1 decimal place, proportions to 1 decimal place in per cent. The full-precision numbers are in results.csv.</p>
        </section>
        <section><h2>Glossary</h2><dl>{{#glossary}}<dt><strong>{{term}}</strong></dt><dd>{{meaning}}</dd>{{/glossary}}</dl></section>
        <section><h2>The plan</h2><pre>{{plan}}</pre></section>

        """
}
