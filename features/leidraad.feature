# language: nl
@leidraad
Functionaliteit: Een leidraad die met de casussen wordt bijgesteld
  Samen met de ministeries wordt gewerkt aan een leidraad waarin alle te hanteren afwegingen
  voor de locatiekeuze worden opgenomen. De leidraad zal periodiek, aan de hand van de
  ervaringen met concrete casussen, worden bijgesteld. Elke versie geldt vanaf een datum; een
  zaak houdt de versie waaronder zij is beoordeeld.

  Scenario: Een nieuwe leidraad geldt vanaf morgen; de zaken van vandaag houden de oude
    Gegeven het is maandag 20 april 2026
    En BZK stelt leidraad "2026.1" vast met een drempel van 50 fte, geldig vanaf dinsdag 21 april 2026
    En de Belastingdienst meldt een plan aan: groei met 60 fte in Zwolle
    Als BZK de beoordeling start
    Dan valt de zaak buiten de reikwijdte
    En is de zaak beoordeeld volgens leidraad "2024.1"
    Als het wordt dinsdag 21 april 2026
    En de Belastingdienst een plan aanmeldt: groei met 60 fte in Zwolle
    En BZK de beoordeling start
    Dan valt de zaak binnen de reikwijdte
    En is de zaak beoordeeld volgens leidraad "2026.1"
