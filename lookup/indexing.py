"""The search key of a customer: the pinyin initials of the name."""

import re

from pypinyin import Style, lazy_pinyin

from .models import CustomerSearchKey


def pinyin_initials(name: str) -> str:
    """张三 → "zs"; a Latin name keeps each word's first letter (Li Lei → "ll")."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda text: [w[0] for w in text.split()])
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def keys_for(customer) -> CustomerSearchKey:
    return CustomerSearchKey(customer_id=customer.pk, initials=pinyin_initials(customer.name)[:50])


def index_customer(customer) -> None:
    CustomerSearchKey.objects.update_or_create(
        customer_id=customer.pk, defaults={"initials": keys_for(customer).initials}
    )


def index_saved_customer(sender, instance, raw=False, **kwargs):
    if not raw:
        index_customer(instance)


def index_written_customers(sender, customer_ids, **kwargs):
    """Customers written in bulk (members.signals.customers_written): their keys, in the same transaction."""
    from members.models import Customer

    _write([keys_for(customer) for customer in Customer.objects.filter(pk__in=customer_ids).only("pk", "name")])


def reindex_all(batch_size: int = 2000) -> int:
    """Rebuild every key (after an import that bypassed save(), or for data from before search)."""
    from members.models import Customer

    count = 0
    customers = Customer.objects.only("pk", "name").order_by("pk")
    batch = []
    for customer in customers.iterator(chunk_size=batch_size):
        batch.append(keys_for(customer))
        if len(batch) >= batch_size:
            count += _write(batch)
            batch = []
    return count + _write(batch)


def _write(batch) -> int:
    CustomerSearchKey.objects.bulk_create(
        batch,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["customer"],
        update_fields=["initials"],
    )
    return len(batch)
