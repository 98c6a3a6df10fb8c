"""Help text kept as written: the rules a command applies read better in paragraphs."""
import argparse

from django.core.management.base import DjangoHelpFormatter


class RawHelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    pass
