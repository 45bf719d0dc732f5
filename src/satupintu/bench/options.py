"""The command-line options of ``satupintu bench seed`` and ``satupintu bench run``
(kept apart from the commands so that ``satupintu --help`` imports nothing heavy)."""

import argparse
import datetime


def add_seed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="1 = full scale (1,000,000 citizens and cases); 0.01 = a hundredth",
    )
    parser.add_argument("--seed", type=int, default=20261130, help="random seed")


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--output", default="bench/results", help="folder for the report")
    parser.add_argument(
        "--sustain",
        type=float,
        default=60.0,
        help="seconds of the single-service submission's throughput phase",
    )
    parser.add_argument(
        "--queue-depth",
        type=int,
        default=10_000,
        help="how many cases deep the deep page of the officer's queue starts",
    )
    parser.add_argument(
        "--agency",
        default="bench-a01",
        help="the agency of the IKM report and the performance page (default: the heavy one)",
    )
    parser.add_argument(
        "--ikm-year",
        type=int,
        default=datetime.date.today().year - 1,
        help="the year of the IKM report (default: last year, a whole one)",
    )
