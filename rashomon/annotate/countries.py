"""Country names news text uses that neither geonames nor pycountry lists, in one table.

Both the gazetteer (places) and the actor lexicon (``actor_kb``: actors and CAMEO country
codes) read :data:`COUNTRY_ALIASES`, so "Congo", "the Emirates" or "DPRK" mean the same
country wherever they are resolved. Demonyms and capitals-by-metonymy are actor knowledge
and stay in :mod:`rashomon.annotate.actor_kb`.

Where a short name is ambiguous the table follows the AP and Reuters style guides that
most wire copy is written to: "Congo" is the Democratic Republic of the Congo (COD), the
other one is "Republic of Congo" / "Congo-Brazzaville" (COG).
"""

from __future__ import annotations

__all__ = ["COUNTRY_ALIASES"]

#: (ISO-3, names); dots, case and a leading "the" do not matter to either reader.
COUNTRY_ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("USA", ("U.S.", "US", "U.S.A.", "USA", "America", "United States", "United States of America",
             "the States")),
    ("GBR", ("UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales",
             "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland")),
    ("RUS", ("Russia", "Russian Federation")),
    ("KOR", ("South Korea", "Korea, South", "Republic of Korea", "ROK")),
    ("PRK", ("North Korea", "Korea, North", "DPRK", "D.P.R.K.")),
    ("ARE", ("UAE", "U.A.E.", "the Emirates", "Emirates")),
    ("COD", ("Congo", "DR Congo", "D.R. Congo", "DRC", "Democratic Republic of Congo",
             "Congo-Kinshasa")),
    ("COG", ("Congo-Brazzaville", "Republic of Congo", "Republic of the Congo")),
    ("CIV", ("Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire")),
    ("CZE", ("Czech Republic", "Czechia")),
    ("MKD", ("Macedonia", "North Macedonia")),
    ("MMR", ("Burma", "Myanmar")),
    ("NLD", ("Holland", "the Netherlands", "Netherlands")),
    ("PSE", ("Palestine", "Palestinian Territories", "Palestinian territories", "Gaza",
             "Gaza Strip", "West Bank")),
    ("SYR", ("Syria",)),
    ("IRN", ("Iran",)),
    ("VNM", ("Vietnam", "Viet Nam")),
    ("LAO", ("Laos",)),
    ("TWN", ("Taiwan",)),
    ("TUR", ("Turkey", "Türkiye", "Turkiye")),
    ("TLS", ("East Timor", "Timor-Leste")),
    ("CPV", ("Cape Verde",)),
    ("SWZ", ("Swaziland", "Eswatini")),
    ("VAT", ("Vatican", "Vatican City", "the Holy See", "Holy See")),
    ("BOL", ("Bolivia",)),
    ("VEN", ("Venezuela",)),
    ("TZA", ("Tanzania",)),
    ("MDA", ("Moldova",)),
    ("FSM", ("Micronesia",)),
    ("BRN", ("Brunei",)),
    ("GMB", ("Gambia", "The Gambia")),
    ("BHS", ("Bahamas", "The Bahamas")),
    ("PHL", ("Philippines", "The Philippines")),
    ("SAU", ("Saudi Arabia", "Saudi", "KSA")),
    ("XKX", ("Kosovo",)),
    ("BIH", ("Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina")),
)
