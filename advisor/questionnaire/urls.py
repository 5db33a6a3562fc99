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
    path("privacy/", privacy, name="privacy"),
]
