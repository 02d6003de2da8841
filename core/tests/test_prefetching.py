"""Rows prefetched as lists (core.prefetching): read from the list when prefetched, from the relation when not."""

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from core.prefetching import listed, rows_of
from members.models import Customer
from members.tests.factories import CustomerFactory, LeadFactory

pytestmark = pytest.mark.django_db


def test_a_page_reads_each_records_prefetched_rows_without_a_statement_per_record(project):
    customers = CustomerFactory.create_batch(3, project=project)
    leads = {customer.pk: LeadFactory(customer=customer).pk for customer in customers}

    page = list(Customer.objects.filter(project=project).prefetch_related(listed("leads")))
    with CaptureQueriesContext(connection) as queries:
        read = {customer.pk: [lead.pk for lead in rows_of(customer, "leads")] for customer in page}

    assert read == {pk: [lead] for pk, lead in leads.items()} and not queries.captured_queries


def test_a_record_not_prefetched_reads_its_relation(project):
    customer = CustomerFactory(project=project)
    lead = LeadFactory(customer=customer)

    assert [row.pk for row in rows_of(Customer.objects.get(pk=customer.pk), "leads")] == [lead.pk]
