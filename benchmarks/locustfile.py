"""Locust visitors who complete the questionnaire, as a browser would (benchmarks/bench_locust.py
starts the site and runs this file; it only talks to the --host it is given, on loopback).

Each visitor opens the home page, answers every step with the table's defaults (following
the wizard's redirects, so skipped steps stay skipped), sends the contact form and opens
the result page; then starts again as a new visitor.
"""

import re
from urllib.parse import urlsplit

from locust import HttpUser, between, task

MANAGEMENT = "questionnaire_view-current_step"
STEP_FIELD = re.compile(r'name="questionnaire_view-current_step" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTACT = {"name": "Eva Jansen", "company": "Bakkerij Jansen", "email": "eva@bakkerij.example",
           "phone": "", "question": "", "consent": "on"}
MAX_PAGES = 20  # a loop in the wizard would be a bug; stop the visitor rather than spin


def default_answers() -> dict[str, dict[str, str]]:
    """Each question's default, or its first offered answer when the default is the "not
    applicable" one the wizard does not offer (a question asked only in some cases)."""
    from advisor.advice.table import STEPS

    def offered(question) -> str:
        if question.choice(question.default).offered:
            return question.default
        return next(choice.value for choice in question.choices if choice.offered)

    return {step.name: {q.key: offered(q) for q in step.questions} for step in STEPS}


class Visitor(HttpUser):
    # A person reads and clicks; a second or two per page keeps 50 of them realistic.
    wait_time = between(0.5, 2)
    answers = default_answers()

    def on_start(self) -> None:
        self.origin = "https://" + urlsplit(self.host).netloc

    def request(self, method: str, path: str, name: str, **kwargs):
        # The site sets Secure cookies (production settings behind a TLS proxy); this client
        # speaks plain HTTP on loopback, so it keeps and sends them itself.
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin}
        with self.client.request(method, path, name=name, headers=headers, cookies=self.jar,
                                 allow_redirects=False, catch_response=True, **kwargs) as reply:
            self.jar.update(reply.cookies.get_dict())
            if reply.status_code not in (200, 302):
                reply.failure(f"HTTP {reply.status_code}")
            else:
                reply.success()
            return reply

    @task
    def complete_the_questionnaire(self) -> None:
        self.jar: dict[str, str] = {}
        home = self.request("GET", "/", "home")
        path = re.search(r'href="(/vragen/[^"]+/)"', home.text).group(1)
        for _ in range(MAX_PAGES):
            page = self.request("GET", path, "step: " + path.strip("/").split("/")[-1])
            step = STEP_FIELD.search(page.text).group(1)
            self.wait()
            data = {MANAGEMENT: step, "csrfmiddlewaretoken": CSRF_FIELD.search(page.text)[1],
                    **(CONTACT if step == "contact" else self.answers[step])}
            sent = self.request("POST", path, f"step: {step} (send)", data=data)
            path = urlsplit(sent.headers.get("Location", "")).path
            if sent.status_code != 302 or not path:
                return
            if path.startswith("/advies/"):
                self.request("GET", path, "result page")
                return
        raise RuntimeError("the questionnaire did not end within MAX_PAGES pages")
