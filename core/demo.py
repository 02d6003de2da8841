"""Demo staff: one login per role, all with the password `demo`, arranged in a sales team."""

from core.models import Department, User
from core.roles import Role
from core.services import set_roles

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented password of the demo logins

DEPARTMENTS = [
    ("customer_service", "客户服务部"),
    ("sales", "营销部"),
    ("engineering", "工程管理部"),
    ("property", "物业服务中心"),
    ("design", "设计部"),
    ("legal", "法务部"),
    ("call_center", "集团呼叫中心"),
]

# username, display name, roles, department, reports to
STAFF = [
    ("demo-manager", "王经理", {Role.SALES_MANAGER}, "sales", None),
    ("demo-supervisor", "李主管", {Role.SALES_SUPERVISOR}, "sales", "demo-manager"),
    ("demo-teamleader", "赵组长", {Role.TEAM_LEADER}, "sales", "demo-supervisor"),
    ("demo-consultant", "陈顾问", {Role.CONSULTANT}, "sales", "demo-teamleader"),
    ("demo-consultant2", "刘顾问", {Role.CONSULTANT}, "sales", "demo-teamleader"),
    ("demo-consultant3", "周顾问", {Role.CONSULTANT}, "sales", "demo-supervisor"),
    ("demo-service", "孙客服", {Role.CUSTOMER_SERVICE}, "customer_service", None),
    ("demo-area-manager", "吴片区", {Role.AREA_MANAGER}, "customer_service", None),
    ("demo-callcenter", "郑坐席", {Role.CALL_CENTER}, "call_center", None),
    ("demo-property", "冯物业", {Role.PROPERTY}, "property", None),
    ("demo-engineering", "何工程", {Role.ENGINEERING}, "engineering", None),
    ("demo-head", "黄总监", {Role.CR_HEAD}, "customer_service", None),
    ("demo-admin", "系统管理员", {Role.ADMINISTRATOR}, None, None),
]


def seed() -> dict[str, User]:
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DEPARTMENTS
    }
    users = {}
    admin, created = User.objects.get_or_create(username="admin", defaults={"display_name": "超级管理员"})
    if created:
        admin.is_superuser = admin.is_staff = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    for username, display_name, roles, department, reports_to in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "department": departments.get(department),
                "reports_to": users.get(reports_to),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            set_roles(user=user, roles=roles)
        users[username] = user
    for code, head in [
        ("customer_service", "demo-head"),
        ("sales", "demo-manager"),
        ("call_center", "demo-callcenter"),
    ]:
        Department.objects.filter(code=code, head__isnull=True).update(head=users[head])
    return users
