"""Give a back-office user an authenticator app: `python manage.py setup_2fa sanne`.

Creates a TOTP device (the six-digit codes of Google Authenticator, Microsoft Authenticator,
1Password and the like) and prints a QR code to scan, plus the secret to type in instead.
"""

import io
from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create an authenticator-app (TOTP) device for USERNAME and print its QR code and "
        "secret. Needed to log in to the back office when two-factor login is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator app",
                            help="a name for the device, e.g. 'phone' (shown in the admin)")
        parser.add_argument("--replace", action="store_true",
                            help="first remove the user's existing authenticator devices")
        parser.add_argument("--no-qr", action="store_true", help="print only the secret")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(options["username"])
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user {options['username']!r}; create one first "
                               "with `manage.py createsuperuser`.") from error
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not options["replace"]:
            raise CommandError(f"{user.get_username()} already has an authenticator device; "
                               "pass --replace to set up a new one (the old one stops working).")
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name=options["name"], confirmed=True)
        uri = device.config_url
        secret = b32encode(device.bin_key).decode()

        if not options["no_qr"]:
            qr = io.StringIO()
            segno.make(uri, error="m").terminal(out=qr, compact=True)
            self.stdout.write("Scan this QR code with your authenticator app:\n")
            self.stdout.write(qr.getvalue())
        self.stdout.write(f"Or type in this secret (time-based, 6 digits): {secret}")
        self.stdout.write(f"Set-up link: {uri}")
        if not user.is_staff:
            self.stdout.write(self.style.WARNING(
                f"{user.get_username()} is not staff: the back office stays closed to them."
            ))
        self.stdout.write(self.style.SUCCESS(
            f"Authenticator device created for {user.get_username()}. Log in with your "
            "password and the code the app shows."
        ))
