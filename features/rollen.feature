# language: nl
@eigen-organisatie
Functionaliteit: Rollen: wie mag wat
  BZK beoordeelt plannen, adviseert, stemt in met een tegenvoorstel, schort zaken op en
  hervat ze. Het ministerie van de zaak meldt een voornemen of plan, neemt het advies over of
  doet een ander voorstel, neemt het besluit, kan om heroverweging vragen, de zaak aan de
  ministerraad voorleggen of het plan intrekken. Alleen de ministerraad legt het besluit
  van de ministerraad vast. Een lezer mag alleen lezen.
  Elke minister blijft verantwoordelijk voor de eigen organisatie: een ministerie handelt
  alleen in zaken van het eigen ministerie.
  Wie wat ziet: BZK en de ministerraad zien elke zaak; een ministerie ziet de eigen zaken op
  elk niveau en de openbare en interne zaken van andere ministeries (alleen lezen); een lezer
  ziet alleen openbare zaken. Een vertrouwelijke zaak van een ander ministerie bestaat voor
  een ministerie of een lezer niet.

  @maatregel-1 @mr
  Abstract Scenario: <wie> zet de stap "<stap>" op <fase>: <uitkomst>
    Gegeven een zaak van de Belastingdienst die op <fase> staat
    Als <wie> de stap "<stap>" probeert te zetten
    Dan is de stap <uitkomst>

    Voorbeelden: BZK beoordeelt en adviseert
      | fase                   | wie            | stap                  | uitkomst  |
      | Aangemeld              | BZK            | Beoordeling starten   | gelukt    |
      | Aangemeld              | het ministerie | Beoordeling starten   | geweigerd |
      | Gezamenlijk overleg    | BZK            | BZK-advies uitbrengen | gelukt    |
      | Gezamenlijk overleg    | het ministerie | BZK-advies uitbrengen | geweigerd |
      | Gezamenlijk overleg    | een lezer      | BZK-advies uitbrengen | geweigerd |
      | In beoordeling         | het ministerie | Opschorten            | geweigerd |

    Voorbeelden: Het ministerie reageert en besluit
      | fase                   | wie            | stap                           | uitkomst  |
      | Voornemen                | het ministerie | Plan indienen                  | gelukt    |
      | Voornemen                | BZK            | Plan indienen                  | geweigerd |
      | BZK-advies uitgebracht   | het ministerie | Advies overnemen               | gelukt    |
      | BZK-advies uitgebracht   | BZK            | Advies overnemen               | geweigerd |
      | BZK-advies uitgebracht   | het ministerie | Ander voorstel doen            | gelukt    |
      | BZK-advies uitgebracht   | het ministerie | Voorleggen aan de ministerraad | gelukt    |
      | BZK-advies uitgebracht   | BZK            | Voorleggen aan de ministerraad | geweigerd |
      | Tegenvoorstel ministerie | BZK            | Instemmen met tegenvoorstel    | gelukt    |
      | Tegenvoorstel ministerie | het ministerie | Instemmen met tegenvoorstel    | geweigerd |
      | Tegenvoorstel ministerie | BZK            | Voorleggen aan de ministerraad | gelukt    |
      | Tegenvoorstel ministerie | het ministerie | Advies overnemen               | gelukt    |
      | Tegenvoorstel ministerie | BZK            | Advies heroverwegen            | gelukt    |
      | Overeenstemming          | het ministerie | Advies heroverwegen            | gelukt    |
      | Overeenstemming          | het ministerie | Besluit nemen                  | gelukt    |
      | Overeenstemming          | BZK            | Besluit nemen                  | geweigerd |

    Voorbeelden: Alleen de ministerraad legt het besluit van de ministerraad vast
      | fase                           | wie             | stap                  | uitkomst  |
      | Voorgelegd aan de ministerraad | de ministerraad | MR-besluit vastleggen | gelukt    |
      | Voorgelegd aan de ministerraad | BZK             | MR-besluit vastleggen | geweigerd |
      | Voorgelegd aan de ministerraad | het ministerie  | MR-besluit vastleggen | geweigerd |

  Scenario: Een ministerie kan niet handelen in de zaak van een ander ministerie
    Gegeven een zaak van de Belastingdienst die op BZK-advies uitgebracht staat
    Als het ministerie van Volksgezondheid, Welzijn en Sport de stap "Advies overnemen" probeert te zetten
    Dan wordt dat geweigerd omdat een ministerie alleen handelt in zaken van het eigen ministerie
    En staat de zaak nog op BZK-advies uitgebracht
    En is er niets aan de audittrail toegevoegd

  @principe-1
  Scenario: Een ministerie meldt geen plan aan voor de dienst van een ander ministerie
    Als het ministerie van Volksgezondheid, Welzijn en Sport probeert een plan van de Belastingdienst aan te melden: groei met 150 fte in Zwolle
    Dan wordt dat geweigerd omdat een ministerie alleen plannen van het eigen ministerie aanmeldt

  Scenario: Wat het ministerie op een moment kan doen
    Gegeven een zaak van de Belastingdienst die op BZK-advies uitgebracht staat
    Dan kan het ministerie nu deze stappen zetten:
      | stap                           |
      | Advies overnemen               |
      | Ander voorstel doen            |
      | Advies heroverwegen            |
      | Voorleggen aan de ministerraad |
      | Intrekken                      |

  Abstract Scenario: Het ministerie trekt het plan in terwijl de zaak op <fase> staat
    Gegeven een zaak van de Belastingdienst die op <fase> staat
    Als het ministerie de zaak intrekt omdat "het plan gaat niet door"
    Dan staat de zaak op Ingetrokken
    En is de zaak afgesloten

    Voorbeelden:
      | fase                           |
      | Voornemen                      |
      | Aangemeld                      |
      | In beoordeling                 |
      | Gezamenlijk overleg            |
      | BZK-advies uitgebracht         |
      | Tegenvoorstel ministerie       |
      | Overeenstemming                |
      | Voorgelegd aan de ministerraad |
      | Opgeschort                     |

  Scenario: Een afgesloten zaak neemt geen stappen meer aan
    Gegeven een zaak van de Belastingdienst die op Besloten staat
    Als BZK de stap "Opschorten" probeert te zetten
    Dan wordt dat geweigerd omdat de zaak is afgesloten

  @vertrouwelijkheid
  Abstract Scenario: Wie ziet een <niveau> zaak van de Rechtspraak
    Gegeven de Rechtspraak meldt een <niveau> plan aan: krimp met 200 fte in Zwolle
    Dan is de zaak zichtbaar voor:
      | wie                                       | ziet de zaak |
      | BZK                                       | ja           |
      | de ministerraad                           | ja           |
      | het ministerie van Justitie en Veiligheid | ja           |
      | het ministerie van Financiën              | <ander>      |
      | een lezer                                 | <lezer>      |

    Voorbeelden:
      | niveau        | ander | lezer |
      | openbaar      | ja    | ja    |
      | intern        | ja    | nee   |
      | vertrouwelijk | nee   | nee   |

  @vertrouwelijkheid
  Scenario: Een ander ministerie leest een interne zaak, maar handelt er niet in
    Gegeven de Rechtspraak meldt een intern plan aan: krimp met 200 fte in Zwolle
    Als het ministerie van Financiën de stap "Intrekken" probeert te zetten
    Dan wordt dat geweigerd omdat een ministerie alleen handelt in zaken van het eigen ministerie

  @vertrouwelijkheid
  Scenario: Een vertrouwelijke zaak is verborgen voor anderen
    Gegeven de Rechtspraak meldt een vertrouwelijk plan aan: krimp met 200 fte in Zwolle
    Dan is de zaak zichtbaar voor:
      | wie                                       | ziet de zaak |
      | BZK                                       | ja           |
      | de ministerraad                           | ja           |
      | het ministerie van Justitie en Veiligheid | ja           |
      | het ministerie van Financiën              | nee          |
      | een lezer                                 | nee          |
    En staat de zaak niet in het overzicht van het ministerie van Financiën
    Maar staat de zaak wel in het overzicht van BZK
