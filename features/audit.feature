# language: nl
@audittrail
Functionaliteit: Audittrail
  Elke stap in een zaak wordt vastgelegd: welke stap, door wie, in welke rol, en van welke
  naar welke toestand. Een geweigerde stap laat geen spoor na.
  De audittrail is een keten: elke regel draagt een vingerafdruk van de regel ervoor. De
  database weigert wijzigingen van de audittrail; wie die beveiliging omzeilt, wordt door
  de controle ontdekt.

  Scenario: Elke stap staat in de audittrail
    Gegeven de Belastingdienst meldt een plan aan: groei met 150 fte in Den Haag
    En BZK heeft de beoordeling gestart
    En BZK heeft het gezamenlijk overleg geopend
    En BZK heeft advies uitgebracht om de dienst in Groningen te vestigen
    En het ministerie heeft het advies overgenomen
    Als het ministerie besluit tot 150 fte in Groningen, conform het advies
    Dan bevat de audittrail na de aanmelding precies deze stappen:
      | stap                       | van                    | naar                   | door           |
      | Beoordeling starten        | Aangemeld              | In beoordeling         | BZK            |
      | Gezamenlijk overleg openen | In beoordeling         | Gezamenlijk overleg    | BZK            |
      | BZK-advies uitbrengen      | Gezamenlijk overleg    | BZK-advies uitgebracht | BZK            |
      | Advies overnemen           | BZK-advies uitgebracht | Overeenstemming        | het ministerie |
      | Besluit nemen              | Overeenstemming        | Besloten               | het ministerie |
    En is de audittrail intact

  Scenario: Een geweigerde stap laat geen spoor na
    Gegeven een zaak van de Belastingdienst die op In beoordeling staat
    Als de ministerraad de stap "Gezamenlijk overleg openen" probeert te zetten
    Dan is de stap geweigerd
    En is er niets aan de audittrail toegevoegd

  Scenario: De database weigert een wijziging van de audittrail
    Gegeven een zaak van de Belastingdienst die op Gezamenlijk overleg staat
    Als iemand regel 2 van de audittrail probeert te wijzigen
    Dan weigert de database dat
    En is de audittrail intact

  Scenario: Een buiten het systeem om gewijzigde audittrail wordt ontdekt
    Gegeven een zaak van de Belastingdienst die op Gezamenlijk overleg staat
    En is de audittrail intact
    Als een beheerder de beveiliging van de audittrail uitschakelt en in regel 2 de naam van de handelende persoon wijzigt
    Dan ontdekt de controle dat regel 2 van de audittrail is gewijzigd

  Scenario: Een buiten de audittrail om gewijzigde toestand wordt ontdekt
    Gegeven een zaak van de Belastingdienst die op Aangemeld staat
    Als een beheerder de toestand van de zaak buiten het systeem om op Overeenstemming zet
    Dan ontdekt de controle dat de toestand niet klopt met de audittrail

  Scenario: Een gewijzigde regel met opnieuw berekende vingerafdrukken wordt ontdekt
    Gegeven een zaak van de Belastingdienst die op Gezamenlijk overleg staat
    Als een beheerder de beveiliging van de audittrail uitschakelt, in regel 2 de naam van de handelende persoon wijzigt en alle vingerafdrukken opnieuw berekent
    Dan ontdekt de controle dat de audittrail is gewijzigd

  Scenario: Een verwijderde laatste stap wordt ontdekt, ook als de zaak is teruggezet
    Gegeven een zaak van de Belastingdienst die op Gezamenlijk overleg staat
    Als een beheerder de laatste stap uit de audittrail verwijdert en de zaak terugzet op In beoordeling
    Dan ontdekt de controle dat er stappen uit de audittrail zijn verwijderd

  Scenario: Een zaak die met haar audittrail is verwijderd, wordt ontdekt
    Gegeven een zaak van de Belastingdienst die op Gezamenlijk overleg staat
    Als een beheerder de zaak met haar audittrail verwijdert
    Dan ontdekt de controle dat er een zaak is verwijderd
