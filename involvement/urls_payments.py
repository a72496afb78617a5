"""URLs of payments (issue 5): /payments/… for PPLs and admins, /me/payments/… for a service user
or carer; ``involvement.urls`` adds them to the app's namespace."""

from django.urls import path

from involvement.views import payments

urlpatterns = [
    # Claims (PPLs and admins).
    path("payments/", payments.payments_queue, name="payments_queue"),
    path("payments/claims/", payments.claim_list, name="claim_list"),
    path("payments/claims/new/", payments.claim_start, name="claim_start"),
    path("payments/claims/new/<int:person_pk>/", payments.claim_create, name="claim_create"),
    path("payments/claims/<int:pk>/", payments.claim_detail, name="claim_detail"),
    path("payments/claims/<int:pk>/edit/", payments.claim_edit, name="claim_edit"),
    path("payments/claims/<int:pk>/approve/", payments.claim_approve, name="claim_approve"),
    path("payments/claims/<int:pk>/reject/", payments.claim_reject, name="claim_reject"),
    path("payments/claims/<int:pk>/reverse/", payments.claim_reverse, name="claim_reverse"),
    # Payment batches for the finance team.
    path("payments/batches/", payments.batch_list, name="batch_list"),
    path("payments/batches/new/", payments.batch_create, name="batch_create"),
    path("payments/batches/<int:pk>/", payments.batch_detail, name="batch_detail"),
    path("payments/batches/<int:pk>/csv/", payments.batch_csv, name="batch_csv"),
    path("payments/batches/<int:pk>/paid/", payments.batch_mark_paid, name="batch_mark_paid"),
    # Rates (admins set them; PPLs see them) and the totals by directorate and month (admins).
    path("payments/rates/", payments.rate_list, name="rate_list"),
    path("payments/rates/new/", payments.rate_create, name="rate_create"),
    path("payments/totals/", payments.payment_totals, name="payment_totals"),
    # A service user's or carer's own payments.
    path("me/payments/", payments.my_payments, name="my_payments"),
    path("me/payments/new/", payments.my_claim_create, name="my_claim_create"),
    path("me/payments/<int:pk>/", payments.my_claim_detail, name="my_claim_detail"),
]
