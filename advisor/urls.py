from django.urls import path

from advisor import views

app_name = "advisor"

urlpatterns = [
    path("", views.home, name="home"),
    path("vragen/<slug:step>/", views.questionnaire, name="step"),
    path("advies/<str:token>/", views.result, name="result"),
    path("privacy/", views.privacy, name="privacy"),
]
