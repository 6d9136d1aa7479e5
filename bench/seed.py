"""Seed a PostgreSQL database with a large investigation, for the page benchmark.

A benchmark tool, never run by the application: it writes with INSERT ... SELECT over
generate_series, past the services (no history, no validation), into one investigation
called "Benchmark N". Per claim: 6 evidence links, a source, 2 tags, an attribution; one
claim in ten is denied; there is an evidence item for every 2 claims and a claimant for
every 50. Text comes in four scripts (English, Russian, Arabic, Chinese).

    createdb -h 127.0.0.1 -U postgres bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/seed.py --claims 100000

Creates the database's tables (migrate) if needed, and two accounts: `bench-admin`
(superuser, for the admin) and `bench` (lead of the investigation), both with the password
given by --password (default "bench-password").
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import setup_django_on_postgresql

# Statements and names in four scripts; # is the row's number.
STATEMENTS = [
    "Russian tanks crossed the border near Novoazovsk, report #",
    "Российские танки пересекли границу у Новоазовска, сообщение #",
    "دبابات روسية عبرت الحدود قرب نوفوازوفسك، تقرير #",
    "北约首脑会议称俄罗斯坦克越过边境，报告 #",
]
CLAIMANTS = ["Ministry #", "Министерство #", "وزارة #", "外交部 #"]


def _text(choices: list[str], number: str) -> str:
    """SQL choosing one of `choices` by the row's number, with the number filled in."""
    whens = " ".join(
        f"WHEN {i} THEN replace('{text}', '#', {number}::text)" for i, text in enumerate(choices)
    )
    return f"(CASE ({number}) % {len(choices)} {whens} END)"


def seed(claims: int, password: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from investigations.models import Investigation, Membership, Role

    if connection.vendor != "postgresql":
        sys.exit("bench/seed.py writes with PostgreSQL's generate_series: set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    users = get_user_model()
    admin, _ = users.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    member, _ = users.objects.get_or_create(username="bench")
    for user in (admin, member):
        user.set_password(password)
        user.save()
    place = Investigation.objects.create(
        name=f"Benchmark {claims:,}", slug=f"bench-{Investigation.objects.count() + 1}"
    )
    Membership.objects.create(investigation=place, user=member, role=Role.LEAD)

    items, claimants, denials = max(claims // 2, 6), max(claims // 50, 1), claims // 10
    steps = [
        (
            "claimants",
            claimants,
            f"""
            INSERT INTO claims_claimant (id, created, updated, version, name, name_key, kind,
                aliases, country, description, created_by_id, search_text)
            SELECT {{base}} + i, now(), now(), 1, {_text(CLAIMANTS, "({base} + i)")},
                lower({_text(CLAIMANTS, "({base} + i)")}), 'government_body', '', '', '',
                {member.pk},
                lower({_text(CLAIMANTS, "({base} + i)")})
            FROM generate_series(1, {{count}}) AS i""",
        ),
        (
            "tags",
            200,
            """
            INSERT INTO claims_tag (id, created, updated, name, name_key)
            SELECT {base} + i, now(), now(), 'Tag ' || ({base} + i) || ' тег',
                'tag ' || ({base} + i) || ' тег'
            FROM generate_series(1, {count}) AS i""",
        ),
        (
            "claims",
            claims,
            f"""
            INSERT INTO claims_claim (id, created, updated, version, uuid, statement, details,
                made_on, made_on_precision, made_until, verdict, verdict_rationale,
                created_by_id, investigation_id, search_text, supporting_weight,
                contradicting_weight, supporting_count, contradicting_count, denial_count)
            SELECT {{base}} + i, now() - i * interval '1 minute', now() - i * interval '1 minute',
                1, gen_random_uuid(), {_text(STATEMENTS, "i")},
                'Details of claim ' || i || '. Подробности. تفاصيل. 详情。',
                date '2000-01-01' + (i % 9000), 'day', date '2000-01-01' + (i % 9000),
                (ARRAY['unverified','under_review','supported','disputed','refuted',
                       'inconclusive'])[1 + i % 6], '', {member.pk}, {place.pk}, '',
                0, 0, 0, 0, 0
            FROM generate_series(1, {{count}}) AS i""",
        ),
        (
            "claim_tags",
            2 * claims,
            """
            INSERT INTO claims_claim_tags (id, claim_id, tag_id)
            SELECT {base} + i, {claims} + (i + 1) / 2, {tags} + 1 + (i * 7) % 200
            FROM generate_series(1, {count}) AS i""",
        ),
        (
            "sources",
            claims,
            """
            INSERT INTO claims_source (id, created, updated, outlet, url, title, archived_url,
                claim_id)
            SELECT {base} + i, now(), now(), (ARRAY['BBC','Reuters','ТАСС','الجزيرة','新华社'])
                [1 + i % 5], 'https://news.example/' || i, 'Report ' || i, '', {claims} + i
            FROM generate_series(1, {count}) AS i""",
        ),
        (
            "attributions",
            claims,
            f"""
            INSERT INTO claims_attribution (id, created, updated, version, stated_on,
                stated_on_precision, quote, role, created_by_id, claim_id, claimant_id)
            SELECT {{base}} + i, now(), now(), 1, NULL, '', '', 'originator', {member.pk},
                {{claims}} + i, {{claimants}} + 1 + i % {claimants}
            FROM generate_series(1, {{count}}) AS i""",
        ),
        (
            "denials",
            denials,
            f"""
            INSERT INTO claims_denial (id, created, updated, version, stated_on,
                stated_on_precision, quote, kind, created_by_id, claim_id, claimant_id)
            SELECT {{base}} + i, now(), now(), 1, NULL, '', 'Another fake.', 'outright',
                {member.pk}, {{claims}} + i * 10, {{claimants}} + 1 + (i * 3) % {claimants}
            FROM generate_series(1, {{count}}) AS i""",
        ),
        (
            "items",
            items,
            f"""
            INSERT INTO evidence_evidenceitem (id, created, updated, version, uuid, kind, title,
                description, file, original_filename, thumbnail, preview, keyframe_strip,
                metadata, is_graphic, url, event_on_precision, captured_from, captured_to,
                captured_precision, published_on_precision, location_name, location_precision,
                review_status, reviewed_at, reviewed_by_id, review_note, sha256, media_type,
                media_authenticity, created_by_id, investigation_id, search_text, processing,
                processing_error)
            SELECT {{base}} + i, now() - i * interval '1 minute', now(), 1, gen_random_uuid(),
                (ARRAY['photo','video','document','satellite_image'])[1 + i % 4],
                'Image ' || i || ' снимок صورة 图像', 'Seen from above.', '', '', '', '', '',
                '{{{{}}}}', false, 'https://media.example/' || i, '',
                date '2000-01-01' + (i % 9100), date '2000-01-01' + (i % 9100), 'day', '',
                'Rostov-on-Don', '', s.status,
                CASE WHEN s.status = 'pending' THEN NULL ELSE now() END,
                CASE WHEN s.status = 'pending' THEN NULL ELSE {admin.pk} END,
                '', '', '', '', {member.pk}, {place.pk},
                lower('Image ' || i || ' снимок صورة 图像' || E'\\n' || 'Seen from above.'
                    || E'\\n' || 'Rostov-on-Don' || E'\\n' || 'https://media.example/' || i),
                'ready', ''
            FROM generate_series(1, {{count}}) AS i,
                LATERAL (SELECT (ARRAY['approved','approved','pending','rejected','needs_info'])
                    [1 + i % 5] AS status) AS s""",
        ),
        (
            "links",
            6 * claims,
            f"""
            INSERT INTO evidence_evidencelink (id, created, updated, relation, strength,
                rationale, claim_id, created_by_id, evidence_id)
            SELECT {{base}} + i, now(), now(),
                (ARRAY['supports','contradicts','context'])[1 + (i / 6 + i % 6) % 3],
                (ARRAY['weak','moderate','strong'])[1 + i % 3], '',
                {{claims}} + 1 + (i - 1) / 6, {member.pk},
                {{items}} + 1 + (i - 1) % {items}
            FROM generate_series(1, {{count}}) AS i""",
        ),
        (
            "search documents",
            claims,
            """
            UPDATE claims_claim AS c SET search_text = lower(concat_ws(E'\\n',
                c.statement, c.details,
                (SELECT string_agg(s.outlet || E'\\n' || s.title, E'\\n')
                    FROM claims_source AS s WHERE s.claim_id = c.id),
                (SELECT string_agg(n.name, E'\\n') FROM claims_attribution AS a
                    JOIN claims_claimant AS n ON n.id = a.claimant_id WHERE a.claim_id = c.id),
                (SELECT string_agg(n.name, E'\\n') FROM claims_denial AS d
                    JOIN claims_claimant AS n ON n.id = d.claimant_id WHERE d.claim_id = c.id),
                (SELECT string_agg(t.name, E'\\n') FROM claims_claim_tags AS ct
                    JOIN claims_tag AS t ON t.id = ct.tag_id WHERE ct.claim_id = c.id)))
            WHERE c.id > {claims}""",
        ),
        (
            "claim tallies",
            claims,
            """
            UPDATE claims_claim AS c SET supporting_weight = t.sw, contradicting_weight = t.cw,
                supporting_count = t.sc, contradicting_count = t.cc, latest_capture = t.lc
            FROM (
                SELECT l.claim_id,
                    coalesce(sum(w) FILTER (WHERE relation = 'supports' AND approved), 0) AS sw,
                    coalesce(sum(w) FILTER (WHERE relation = 'contradicts' AND approved), 0)
                        AS cw,
                    count(*) FILTER (WHERE relation = 'supports') AS sc,
                    count(*) FILTER (WHERE relation = 'contradicts') AS cc,
                    max(e.captured_from) AS lc
                FROM evidence_evidencelink AS l
                JOIN evidence_evidenceitem AS e ON e.id = l.evidence_id,
                LATERAL (SELECT CASE l.strength WHEN 'weak' THEN 1 WHEN 'moderate' THEN 2
                    ELSE 3 END AS w, e.review_status = 'approved' AS approved) AS x
                WHERE l.claim_id > {claims}
                GROUP BY l.claim_id
            ) AS t
            WHERE c.id = t.claim_id""",
        ),
        (
            "denial counts",
            denials,
            """
            UPDATE claims_claim AS c SET denial_count = d.n
            FROM (SELECT claim_id, count(*) AS n FROM claims_denial WHERE claim_id > {claims}
                  GROUP BY claim_id) AS d
            WHERE c.id = d.claim_id""",
        ),
    ]
    tables = {
        "claimants": "claims_claimant",
        "tags": "claims_tag",
        "claims": "claims_claim",
        "claim_tags": "claims_claim_tags",
        "sources": "claims_source",
        "attributions": "claims_attribution",
        "denials": "claims_denial",
        "items": "evidence_evidenceitem",
        "links": "evidence_evidencelink",
        "search documents": "claims_claim",
        "claim tallies": "claims_claim",
        "denial counts": "claims_claim",
    }
    bases: dict[str, int] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, count, sql in steps:
                table = tables[name]
                if name not in bases:  # the rows this run adds come after these ids
                    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
                    bases[name] = cursor.fetchone()[0]
                began = time.perf_counter()
                cursor.execute(sql.format(base=bases[name], count=count, **bases))
                print(f"{name}: {count:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    except BaseException:
        place.delete()  # a failed seed leaves no empty investigation behind
        raise
    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute("VACUUM FULL claims_claim")  # the updates above left a dead copy
        cursor.execute("VACUUM ANALYZE")
        print(f"vacuum analyze: {time.perf_counter() - began:.1f} s")
    print(f"Seeded “{place.name}” ({place.slug}); log in as bench or bench-admin.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--password", default="bench-password")
    args = parser.parse_args()
    setup_django_on_postgresql("Set DATABASE_URL to a PostgreSQL database (it will be filled).")
    began = time.perf_counter()
    seed(args.claims, args.password)
    print(f"done in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
