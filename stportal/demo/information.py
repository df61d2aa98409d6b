"""The demo region's information page (C21), written from the programme's own description
(seed 000: "Kursprogrammet LEKA"): how to register, the usual deadlines, cancellation and the
fee, lodging, lunch at one's own cost, and whom to ask.

The page holds no dates of particular weeks: the information page shows the next deadlines
from the course weeks themselves, so the text never goes stale (C21). It is written through
the same service staff use, as the demo's course admin, once; a second load changes nothing.
"""

from __future__ import annotations

from stportal.accounts.models import Region, User
from stportal.courses import info_services
from stportal.courses.models import InformationPage

TITLE = "Kursprogrammet LEKA för ST-läkare"

INTRODUCTION = (
    "LEKA är regionens kursprogram i de allmänna delmålen för ST-läkare: kurser som svarar mot "
    "Socialstyrelsens allmänna, specialitetsövergripande delmål, i de fall målbeskrivningen "
    "kräver kurs.\n\n"
    "Programmet ges som två kursveckor om året. LEKA A ges på våren, vanligen vecka 12 (den kan "
    "flyttas något beroende på när påsken infaller), och täcker a-delmålen i 2015 års "
    "målbeskrivning. LEKA B ges på hösten, vecka 47, och täcker framför allt b-delmålen.\n\n"
    "Varje delkurs har en egen kursledare. Delkurserna är på heltid och kräver i princip full "
    "närvaro för godkännande: planera din ST så att du kan gå LEKA-veckorna när det passar i "
    "din utbildning.\n\n"
    "Kurserna är avgiftsfria. Din lön under kursveckan betalas av din basenhet. Lunch betalar "
    "du själv."
)

HOW_TO_REGISTER = (
    "Du anmäler dig här i ST-portalen, under Kurser. Inbjudan till LEKA A publiceras i "
    "september och inbjudan till LEKA B i april. Sista anmälningsdag är normalt den 15 oktober "
    "för LEKA A och den 15 maj för LEKA B; de datum som gäller för varje kursvecka står under "
    "Närmaste datum ovan.\n\n"
    "Varje kursvecka tar emot högst 60 deltagare. Finns det fler anmälda än platser när "
    "anmälningstiden gått ut får de som har kortast tid kvar till planerat ST-slut plats "
    "först; övriga hamnar på reservlistan i samma ordning. Medan anmälningstiden pågår ser du "
    "på din anmälan var du skulle hamna om platserna fördelades nu.\n\n"
    "Har du redan gått kurser som motsvarar en eller flera delkurser kan du anmäla dig till "
    "enstaka delkurser. Ange då vid anmälan vilka tidigare kurser som täcker resten.\n\n"
    "Efter sista anmälningsdag kan kursadministrationen anmäla dig i mån av plats: sena "
    "anmälningar kommer efter alla som anmält sig i tid."
)

CANCELLATION_AND_FEES = (
    "Avboka din plats senast 14 dagar före kursstart; det gör du själv på din anmälan. Fram "
    "till dess är avbokningen avgiftsfri.\n\n"
    "Avbokar du senare utan godtagbart skäl (till exempel sjukdom), eller uteblir du från "
    "kursen utan att avboka, tas en utbildningskostnad ut från din basenhet, en gång per "
    "anmälan. Har du ett godtagbart skäl, kontakta kursadministrationen, som kan efterskänka "
    "avgiften.\n\n"
    "Att lämna reservlistan eller tacka nej till ett erbjudande om plats kostar aldrig något."
)

LODGING = (
    "Kursveckorna hålls vid NUS. Kommer du från en basenhet utanför NUS betalas logi från den "
    "centrala ST-budgeten: kryssa i att du behöver logi när du anmäler dig, så bokar "
    "kursadministrationen hotell. Lunch ingår inte; den betalar du själv."
)

CONTACT = (
    "Frågor om LEKA, till exempel praktiska frågor om kursveckorna eller om anmälan, och "
    "begäran om ett nytt kursintyg i stället för ett som kommit bort, går lättast till "
    "kursadministrationen: {email}.\n\n"
    "Kursintygen på Socialstyrelsens blankett utfärdas av de övergripande studierektorerna. "
    "Vill du ha intyg enligt 2008 års målbeskrivning för du över uppgifterna till den "
    "blanketten tillsammans med din handledare, som skriver under."
)


def load_information_page(region: Region, *, actor: User) -> bool:
    """Write the demo's information page unless the region has one; True when written."""
    if InformationPage.objects.filter(region=region).exists():
        return False
    info_services.save_information_page(
        actor=actor,
        region=region,
        title=TITLE,
        introduction=INTRODUCTION,
        how_to_register=HOW_TO_REGISTER,
        cancellation_and_fees=CANCELLATION_AND_FEES,
        lodging=LODGING,
        contact=CONTACT.format(email=actor.email),
    )
    return True
