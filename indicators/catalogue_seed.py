"""The first catalogue: the council guide's ten warning signs, the cuckooing signs for
adults at risk and the vulnerabilities in shared/docs/domain.md. Used by the data
migration; later changes are made in the portal and create new versions."""

# (code, wording, guidance, audience, group)
FIRST_CATALOGUE = [
    (
        "cl-01",
        "Returning home late, staying out all night or going missing",
        "Include dates of missing episodes and whether they were reported.",
        "both",
        "exploitation",
    ),
    (
        "cl-02",
        "Being found in areas away from home",
        "Where they were found and who they were with, if known.",
        "both",
        "exploitation",
    ),
    (
        "cl-03",
        "Increasing drug use, or being found with large amounts of drugs",
        "",
        "both",
        "exploitation",
    ),
    (
        "cl-04",
        "Being secretive about who they are talking to and where they are going",
        "",
        "both",
        "exploitation",
    ),
    (
        "cl-05",
        "Unexplained absences from school, college, training or work",
        "",
        "both",
        "exploitation",
    ),
    (
        "cl-06",
        "Unexplained money, phone(s), clothes or jewellery",
        "Several phones, or a phone that keeps ringing, can mean they hold a 'line'.",
        "both",
        "exploitation",
    ),
    ("cl-07", "Increasingly disruptive or aggressive behaviour", "", "both", "exploitation"),
    (
        "cl-08",
        "Using sexual, drug-related or violent language they would not be expected to know",
        "",
        "both",
        "exploitation",
    ),
    (
        "cl-09",
        "Coming home with injuries or looking particularly dishevelled",
        "Describe injuries and any explanation given.",
        "both",
        "exploitation",
    ),
    ("cl-10", "Having hotel cards or keys to unknown places", "", "both", "exploitation"),
    ("cu-01", "More callers and cars at the home than usual", "", "adult", "cuckooing"),
    ("cu-02", "Visitors who stay only a short time", "", "adult", "cuckooing"),
    ("cu-03", "New faces at the home, or people staying there", "", "adult", "cuckooing"),
    ("cu-04", "The resident is rarely seen", "", "adult", "cuckooing"),
    ("cu-05", "Signs of drug use at the home", "", "adult", "cuckooing"),
    ("vu-01", "In care (looked after)", "", "child", "vulnerability"),
    ("vu-02", "Excluded from school", "", "child", "vulnerability"),
    ("vu-03", "Missing episodes", "", "both", "vulnerability"),
    ("vu-04", "Substance misuse", "", "both", "vulnerability"),
    ("vu-05", "Learning disability", "", "both", "vulnerability"),
    ("vu-06", "Mental health needs", "", "both", "vulnerability"),
    ("vu-07", "Insecure immigration status", "", "both", "vulnerability"),
]


def ensure_first_catalogue(CatalogueVersion, Indicator) -> None:  # noqa: N803 - model classes
    """Create catalogue version 1 if there is no catalogue. Takes the model classes so
    that the data migration (historical models) and the test suite share it."""
    if CatalogueVersion.objects.exists():
        return
    version = CatalogueVersion.objects.create(
        number=1, change_summary="First catalogue: the guide's ten warning signs"
    )
    orders: dict[str, int] = {}
    rows = []
    for code, wording, guidance, audience, group in FIRST_CATALOGUE:
        orders[group] = orders.get(group, 0) + 1
        rows.append(
            Indicator(
                version=version,
                code=code,
                wording=wording,
                guidance=guidance,
                audience=audience,
                group=group,
                order=orders[group],
            )
        )
    Indicator.objects.bulk_create(rows)
