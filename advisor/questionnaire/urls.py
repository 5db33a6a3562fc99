from django.urls import path

from advisor.privacy.views import privacy
from advisor.questionnaire import views, wizard

app_name = "advisor"

urlpatterns = [
    path("", views.home, name="home"),
    path("vragen/<slug:step>/", wizard.questionnaire, name="step"),
    path("advies/<str:token>/", views.result, name="result"),
    path("advies/<str:token>/delen/", views.share, name="share"),
    path("advies/<str:token>/bevestigen/<str:code>/", views.confirm, name="confirm_address"),
    path("advies/<str:token>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("advies/<str:token>/status.json", views.report_status_json, name="report_status"),
    path("advies/<str:token>/status.html", views.report_status_parts,
         name="report_status_parts"),
    path("advies/<str:token>/herinnering-stoppen/", views.result_checkup_stop,
         name="result_checkup_stop"),
    path("controle/<str:token>/", views.checkup, name="checkup"),
    path("controle/<str:token>/stoppen/", views.checkup_stop, name="checkup_stop"),
    path("advies/<str:token>/contact/<slug:kind>/", views.contact, name="contact"),
    path("privacy/", privacy, name="privacy"),
]
