import factory

from surveys.choices import ItemKind, ItemRole, Step, SurveyKind
from surveys.models import Item, Questionnaire


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    code = factory.Sequence(lambda n: f"survey-{n}")
    title = factory.Sequence(lambda n: f"满意度调查{n}")
    kind = SurveyKind.SALES_CARD
    step = Step.SIGNING


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    text = factory.Sequence(lambda n: f"问题{n}")
    position = factory.Sequence(lambda n: n)


def standard_questionnaire(**fields) -> Questionnaire:
    """Overall satisfaction, one service item, the two loyalty questions, a choice and a comment."""
    questionnaire = QuestionnaireFactory(**fields)
    ItemFactory(questionnaire=questionnaire, code="overall", text="总体满意度", role=ItemRole.OVERALL, position=1)
    ItemFactory(questionnaire=questionnaire, code="service", text="置业顾问服务", position=2)
    ItemFactory(
        questionnaire=questionnaire,
        code="buy_again",
        text="是否会再次购买万科的房子",
        kind=ItemKind.YES_NO,
        role=ItemRole.BUY_AGAIN,
        position=3,
    )
    ItemFactory(
        questionnaire=questionnaire,
        code="recommend",
        text="是否愿意推荐本项目",
        kind=ItemKind.YES_NO,
        role=ItemRole.RECOMMEND,
        position=4,
    )
    ItemFactory(
        questionnaire=questionnaire,
        code="channel",
        text="您从哪里得知本项目",
        kind=ItemKind.CHOICE,
        options="朋友介绍\n户外广告\n网络",
        position=5,
    )
    ItemFactory(questionnaire=questionnaire, code="comment", text="其他建议", kind=ItemKind.TEXT, position=6)
    return questionnaire
