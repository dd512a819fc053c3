"""How long building a season's instance takes (what starting or publishing an allocation run waits for), on the
database benchmarks/pages.py built.

    .venv/bin/python benchmarks/instance_build.py --work-dir DIR [--season ID] [--repeat 3]

The season defaults to the one with the most performances. Each build starts from an empty session, as a web
request does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from sqlalchemy import func, select

    from benchmarks.pages import environment
    from portal import create_app
    from portal.config import load_config
    from portal.extensions import db
    from portal.models import Performance, Season
    from portal.services.instances import build_instance

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the instance benchmarks/pages.py built")
    parser.add_argument("--database-url", help="default: the SQLite database in --work-dir")
    parser.add_argument("--season", type=int, help="default: the season with the most performances")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{args.work_dir / 'portal.db'}"
    app = create_app(load_config(environment(args.work_dir, 5000, url)))
    with app.app_context():
        biggest = select(Performance.season_id).group_by(Performance.season_id).order_by(func.count().desc())
        season_id = args.season or db.session.scalars(biggest.limit(1)).one()
        for _ in range(args.repeat):
            db.session.expunge_all()
            season = db.session.get(Season, season_id)
            started = time.perf_counter()
            instance = build_instance(season)
            seconds = time.perf_counter() - started
            print(
                f"{season.name}: {len(instance['requests'])} requests, {len(instance['pinned'])} pinned, "
                f"{len(instance['casts'])} casts: {seconds:.1f} s"
            )
            db.session.rollback()


if __name__ == "__main__":
    main()
