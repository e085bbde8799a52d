import argparse

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from access.models import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS, ApiToken, TokenScope


def lifetime(value):
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIFETIME_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_LIFETIME_DAYS}")
    return int(value)


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it. Only its digest is stored: "
        "the printed key cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.READ,
            help="read (the default) or write; a write also needs the user's model permission",
        )
        parser.add_argument(
            "--days",
            type=lifetime,
            default=DEFAULT_LIFETIME_DAYS,
            help=f"days until it expires (default {DEFAULT_LIFETIME_DAYS}, "
            f"at most {MAX_LIFETIME_DAYS})",
        )
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, username, scope, days, name, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            token, key = ApiToken.objects.issue(user, scope=scope, days=days, name=name)
        except ValidationError as error:
            reasons = [
                f"{field}: {reason}" for field, e in error.message_dict.items() for reason in e
            ]
            raise CommandError("; ".join(reasons)) from None
        self.stderr.write(
            f"A {scope} token for {username}, expiring {token.expiry:%Y-%m-%d %H:%M} UTC. "
            "Copy it now: it is not shown again."
        )
        self.stdout.write(key)
