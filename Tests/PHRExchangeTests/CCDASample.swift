/// Synthetic C-CDA R2.1 documents for the import tests. Every name, identifier, code and date is
/// made up (codes are real codes of their systems, so that the mapping can be checked).
enum CCDASample {
    static let snomed = "2.16.840.1.113883.6.96"
    static let loinc = "2.16.840.1.113883.6.1"

    /// A whole CCD with every section phr maps, and one it does not (functional status).
    static func document(setID: String = "set-1", version: Int = 1, documentID: String = "doc-1",
                         effectiveTime: String = "20240315103000-0500", hemoglobin: String = "10.2",
                         patientID: String = "MRN-1", given: String = "Ada", patient: Bool = true,
                         code: String = "34133-9") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <realmCode code="US"/>
          <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
          <id root="2.16.840.1.113883.19.5" extension="\(documentID)"/>
          <code code="\(code)" codeSystem="\(loinc)"/>
          <title>Continuity of Care Document</title>
          <effectiveTime value="\(effectiveTime)"/>
          <setId root="2.16.840.1.113883.19.5" extension="\(setID)"/>
          <versionNumber value="\(version)"/>
          \(patient ? recordTarget(patientID: patientID, given: given) : "")
          <author><time value="20240315"/><assignedAuthor>
            <id root="2.16.840.1.113883.4.6" extension="1234567893"/>
            <telecom value="tel:+1-555-0199" use="WP"/>
            <assignedPerson><name><prefix>Dr.</prefix><given>Henry</given><family>Example</family></name></assignedPerson>
          </assignedAuthor></author>
          <custodian><assignedCustodian><representedCustodianOrganization>
            <id root="2.16.840.1.113883.4.6" extension="1999999984"/><name>Springfield Example Clinic</name>
          </representedCustodianOrganization></assignedCustodian></custodian>
          <legalAuthenticator><time value="20240315"/><signatureCode code="S"/><assignedEntity>
            <id root="2.16.840.1.113883.4.6" extension="1588667638"/>
            <assignedPerson><name><given>Lena</given><family>Legal</family></name></assignedPerson>
          </assignedEntity></legalAuthenticator>
          <documentationOf><serviceEvent classCode="PCPR"><performer typeCode="PRF"><assignedEntity>
            <id root="2.16.840.1.113883.19.5" extension="staff-9"/>
            <assignedPerson><name><given>Omar</given><family>Oncologist</family></name></assignedPerson>
          </assignedEntity></performer></serviceEvent></documentationOf>
          <component><structuredBody>
        \(allergies)
        \(problems)
        \(medications)
        \(results(hemoglobin: hemoglobin))
        \(vitalSigns)
        \(procedures)
        \(encounters)
        \(immunizations)
        \(familyHistory)
        \(socialHistory)
        \(plan)
            <component><section>
              <code code="47420-5" codeSystem="\(loinc)"/>
              <title>Functional status</title>
              <text>Independent in daily activities</text>
            </section></component>
          </structuredBody></component>
        </ClinicalDocument>
        """
    }

    /// A concern act (problem or allergy) `id`, active since 2024-01-01, holding `relationships`
    /// (its `entryRelationship`s).
    static func concern(_ id: String, _ relationships: String) -> String {
        """
        <entry><act classCode="ACT" moodCode="EVN">
          <id root="\(id)"/>
          <code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
          <statusCode code="active"/>
          <effectiveTime><low value="20240101"/></effectiveTime>
        \(relationships)
        </act></entry>
        """
    }

    /// A short document: its id, the patient, and `sections`.
    static func shortDocument(_ id: String, _ sections: String) -> String {
        """
        <?xml version="1.0"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <id root="2.16.840.1.113883.19.5" extension="\(id)"/>
          <code code="34133-9" codeSystem="\(loinc)"/>
          <title>Summary</title>
          <effectiveTime value="20240102"/>
          \(recordTarget(patientID: "MRN-1", given: "Ada"))
          <component><structuredBody>
        \(sections)
          </structuredBody></component>
        </ClinicalDocument>
        """
    }

    /// C-CDA's way of saying there are no known problems and no medications: a negated "Problem"
    /// observation, and a negated medication activity naming only "Drug or medicament".
    static func noKnownProblemsOrMedications() -> String {
        let problems = section("5.1", "11450-4", "Problems", text: "No known problems",
            entries: """
            \(concern("36e3e930-7b14-11db-9fe1-0800200c9a80", """
            <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" negationInd="true">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a80"/>
              <code code="55607006" codeSystem="\(snomed)" displayName="Problem"/>
              <effectiveTime><low value="20240101"/></effectiveTime>
              <value xsi:type="CD" code="55607006" codeSystem="\(snomed)" displayName="Problem"/>
            </observation></entryRelationship>
            """))
            """)
        let medications = section("1.1", "10160-0", "Medications", text: "No medications",
            entries: """
            <entry><substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="true">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a81"/>
              <statusCode code="active"/>
              <effectiveTime nullFlavor="NA"/>
              <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>
                <code nullFlavor="OTH" codeSystem="2.16.840.1.113883.6.88">
                  <translation code="410942007" displayName="Drug or medicament" codeSystem="\(snomed)"/>
                </code>
              </manufacturedMaterial></manufacturedProduct></consumable>
            </substanceAdministration></entry>
            """)
        return shortDocument("none-1", problems + medications)
    }

    /// A medication known only by its words: no code, no name; its instructions say what it is.
    static func freeTextMedication() -> String {
        let medications = section("1.1", "10160-0", "Medications",
            text: #"<paragraph ID="sig-free">Experimental '150 cure-all drug', take one tab by mouth every morning</paragraph>"#,
            entries: """
            <entry><substanceAdministration classCode="SBADM" moodCode="EVN">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a90"/>
              <statusCode code="active"/>
              <effectiveTime xsi:type="IVL_TS"><low value="20180110"/></effectiveTime>
              <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>
                <code nullFlavor="UNK"/>
              </manufacturedMaterial></manufacturedProduct></consumable>
              <entryRelationship typeCode="COMP"><substanceAdministration classCode="SBADM" moodCode="EVN">
                <templateId root="2.16.840.1.113883.10.20.22.4.147"/>
                <code code="76662-6" codeSystem="\(loinc)"/>
                <text><reference value="#sig-free"/></text>
                <consumable><manufacturedProduct><manufacturedLabeledDrug nullFlavor="NA"/></manufacturedProduct></consumable>
              </substanceAdministration></entryRelationship>
            </substanceAdministration></entry>
            """)
        return shortDocument("free-1", medications)
    }

    /// Medication sigs as EHRs write them: as needed (for a named reason, and with no reason:
    /// a criterion whose value is "no information"), four times a day at times the institution
    /// chooses ("every 6 hours"), every 4 to 6 hours, at bedtime, before breakfast with an
    /// offset (and with an offset beyond reason), and a dose counted in the administration unit
    /// (puffs) taken by a route FDA names ("Inhalation Route of Administration").
    static func medicationSigs() -> String {
        func activity(_ id: Int, _ name: String, _ timing: String, dose: String = "", extra: String = "") -> String {
            """
            <entry><substanceAdministration classCode="SBADM" moodCode="EVN">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9b0\(id)"/>
              <statusCode code="active"/>
              <effectiveTime xsi:type="IVL_TS"><low value="20240101"/></effectiveTime>
              \(timing)
              \(dose)
              <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>
                <code nullFlavor="OTH"><originalText>\(name)</originalText></code>
              </manufacturedMaterial></manufacturedProduct></consumable>
              \(extra)
            </substanceAdministration></entry>
            """
        }
        func precondition(_ value: String) -> String {
            """
            <precondition typeCode="PRCN"><criterion>
              <templateId root="2.16.840.1.113883.10.20.22.4.25" extension="2014-06-09"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              \(value)
            </criterion></precondition>
            """
        }
        let medications = section("1.1", "10160-0", "Medications", text: "Medications",
            entries: [
                activity(1, "Ondansetron 8 mg tablet",
                         #"<effectiveTime xsi:type="PIVL_TS" operator="A"><period value="8" unit="h"/></effectiveTime>"#,
                         extra: precondition(#"<value xsi:type="CD" code="422587007" codeSystem="\#(snomed)" displayName="Nausea"/>"#)),
                activity(2, "Ibuprofen 600 mg tablet",
                         #"<effectiveTime xsi:type="PIVL_TS" institutionSpecified="true" operator="A"><period value="6" unit="h"/></effectiveTime>"#,
                         dose: #"<doseQuantity value="1"/><administrationUnitCode code="C48542" codeSystem="2.16.840.1.113883.3.26.1.1" displayName="Tablet"/>"#,
                         extra: precondition(#"<value xsi:type="CD" nullFlavor="NI"/>"#)),
                activity(3, "Insulin glargine 100 unit/mL",
                         #"<effectiveTime xsi:type="EIVL_TS" operator="A"><event code="HS"/></effectiveTime>"#),
                activity(4, "Levothyroxine 50 mcg tablet",
                         #"<effectiveTime xsi:type="EIVL_TS" operator="A"><event code="ACM"/><offset><low value="30" unit="min"/></offset></effectiveTime>"#),
                activity(7, "Metformin 500 mg tablet",
                         #"<effectiveTime xsi:type="EIVL_TS" operator="A"><event code="CV"/><offset><low value="1e300" unit="h"/></offset></effectiveTime>"#),
                activity(6, "Pseudoephedrine 30 mg tablet",
                         #"<effectiveTime xsi:type="PIVL_TS" operator="A"><period xsi:type="IVL_PQ"><low value="4" unit="h"/><high value="6" unit="h"/></period></effectiveTime>"#),
                activity(5, "Albuterol inhaler",
                         #"<effectiveTime xsi:type="PIVL_TS" operator="A"><period value="0.5" unit="d"/></effectiveTime>"#,
                         dose: #"""
                         <routeCode code="C38216" codeSystem="2.16.840.1.113883.3.26.1.1" displayName="Inhalation Route of Administration"/>
                         <doseQuantity value="2"/><administrationUnitCode code="PUFF" codeSystem="2.16.840.1.113883.5.85" displayName="Puff"/>
                         """#),
            ].joined(separator: "\n"))
        return shortDocument("sigs-1", medications)
    }

    /// Results as labs write them beyond a plain number: above a bound (">500 mg/dL"), at most a
    /// bound ("<=5 pg/mL", written from 0), a unit outside UCUM ("THOUS/MCL"), a trace (a null
    /// flavor that is a value), a pending result and one temporarily unavailable; and a security
    /// observation (a privacy label), which is no result.
    static func resultsBeyondPlainNumbers() -> String {
        func observation(_ id: Int, _ code: String, _ name: String, _ value: String, range: String = "",
                         status: String = "completed") -> String {
            """
            <component><observation classCode="OBS" moodCode="EVN">
              <id root="107c2dc0-67a5-11db-bd13-0800200c9a9\(id)"/>
              <code code="\(code)" codeSystem="\(loinc)" displayName="\(name)"/>
              <statusCode code="\(status)"/>
              <effectiveTime value="202403010800"/>
              \(value)
              \(range)
            </observation></component>
            """
        }
        let results = section("3.1", "30954-2", "Results", text: "Results",
            entries: """
            <entry><organizer classCode="BATTERY" moodCode="EVN">
              <id root="7d5a02b0-67a4-11db-bd13-0800200c9a90"/>
              <code code="24323-8" codeSystem="\(loinc)" displayName="Panel"/>
              <statusCode code="completed"/>
              \(observation(1, "2345-7", "Glucose", #"<value xsi:type="IVL_PQ"><low value="500" unit="mg/dL" inclusive="false"/></value>"#))
              \(observation(2, "30934-4", "BNP", #"<value xsi:type="IVL_PQ"><low value="0" unit="pg/mL"/><high value="5" unit="pg/mL"/></value>"#))
              \(observation(3, "777-3", "Platelets",
                  #"<value xsi:type="PQ" nullFlavor="OTH"><translation value="152" nullFlavor="OTH"><originalText>THOUS/MCL</originalText></translation></value>"#,
                  range: #"<referenceRange><observationRange><value xsi:type="IVL_PQ"><low nullFlavor="OTH"><translation value="150" nullFlavor="OTH"><originalText>THOUS/MCL</originalText></translation></low><high nullFlavor="OTH"><translation value="400" nullFlavor="OTH"><originalText>THOUS/MCL</originalText></translation></high></value></observationRange></referenceRange>"#))
              \(observation(4, "2888-6", "Urine protein", #"<value xsi:type="PQ" nullFlavor="TRC"/>"#))
              \(observation(5, "804-5", "Leukocytes", #"<value xsi:type="PQ" nullFlavor="NA"/>"#, status: "active"))
              \(observation(6, "4548-4", "Hemoglobin A1c", #"<value xsi:type="PQ" nullFlavor="NAV"/>"#))
              <component><observation classCode="OBS" moodCode="EVN">
                <id root="107c2dc0-67a5-11db-bd13-0800200c9a99"/>
                <code code="SECCONOBS" codeSystem="2.16.840.1.113883.1.11.20457" displayName="Security Classification"/>
                <value xsi:type="CD" code="NOAUTH" codeSystem="2.16.840.1.113883.5.1063" displayName="no disclosure without subject authorization"/>
              </observation></component>
            </organizer></entry>
            """)
        return shortDocument("values-1", results)
    }

    /// An immunization entry that is itself "no information" (nullFlavor NI), beside a real one.
    static func immunizationWithNoInformation() -> String {
        func vaccination(_ id: Int, _ nullFlavor: String, _ material: String) -> String {
            """
            <entry><substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="false"\(nullFlavor)>
              <id root="e6f1ba43-c0ed-4b9b-9f12-f435d8ad8f8\(id)"/>
              <statusCode code="completed"/>
              <effectiveTime value="199911"/>
              <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>\(material)</manufacturedMaterial></manufacturedProduct></consumable>
            </substanceAdministration></entry>
            """
        }
        let immunizations = section("2.1", "11369-6", "Immunizations", text: "Immunizations",
            entries: vaccination(1, #" nullFlavor="NI""#, #"<code nullFlavor="OTH"><originalText>Vaccination</originalText><translation code="787859002" codeSystem="2.16.840.1.113883.6.96"/></code>"#)
                + vaccination(2, "", #"<code code="88" codeSystem="2.16.840.1.113883.12.292" displayName="Influenza virus vaccine"/>"#))
        return shortDocument("vaccines-1", immunizations)
    }

    /// Results whose entries make nothing but the first: a result; an observation without a code;
    /// a test ordered (`moodCode="RQO"`); a statement that is itself "no information". A plan of
    /// treatment's order stays in the plan's note.
    static func entriesThatMakeNothing() -> String {
        let results = section("3.1", "30954-2", "Results", text: "Results",
            entries: """
            <entry><observation classCode="OBS" moodCode="EVN">
              <id root="7c0704bb-9c40-41b5-9c7d-26b2d59e234f"/>
              <code code="718-7" codeSystem="\(loinc)" displayName="Hemoglobin"/>
              <effectiveTime value="20240101"/>
              <value xsi:type="PQ" value="13.2" unit="g/dL"/>
            </observation></entry>
            <entry><observation classCode="OBS" moodCode="EVN">
              <id root="7c0704bb-9c40-41b5-9c7d-26b2d59e2350"/>
              <code nullFlavor="UNK"/>
              <effectiveTime value="20240101"/>
            </observation></entry>
            <entry><observation classCode="OBS" moodCode="RQO">
              <id root="7c0704bb-9c40-41b5-9c7d-26b2d59e2351"/>
              <code code="2345-7" codeSystem="\(loinc)" displayName="Glucose"/>
            </observation></entry>
            <entry><observation classCode="OBS" moodCode="EVN" nullFlavor="NI"/></entry>
            """)
        let plan = section("10", "18776-5", "Plan of treatment", text: "Repeat the glucose in a week",
            entries: """
            <entry><observation classCode="OBS" moodCode="RQO">
              <code code="2345-7" codeSystem="\(loinc)" displayName="Glucose"/>
            </observation></entry>
            """)
        return shortDocument("results-1", results + "\n" + plan)
    }

    /// Social history saying what is not so: "not pregnant" (a negated assertion of pregnancy),
    /// and a negated coded value.
    static func negatedSocialHistory() -> String {
        let social = section("17", "29762-2", "Social history", text: "Not pregnant",
            entries: """
            <entry><observation classCode="OBS" moodCode="EVN" negationInd="true">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9aa1"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <statusCode code="completed"/>
              <effectiveTime><low value="20110410"/></effectiveTime>
              <value xsi:type="CD" code="77386006" codeSystem="\(snomed)" displayName="Pregnancy"/>
            </observation></entry>
            <entry><observation classCode="OBS" moodCode="EVN" negationInd="true">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9aa2"/>
              <code code="72166-2" codeSystem="\(loinc)" displayName="Tobacco smoking status"/>
              <statusCode code="completed"/>
              <effectiveTime value="20110410"/>
              <value xsi:type="CD" code="449868002" codeSystem="\(snomed)" displayName="Smokes tobacco daily"/>
            </observation></entry>
            """)
        return shortDocument("social-1", social)
    }

    static func recordTarget(patientID: String, given: String) -> String {
        """
        <recordTarget><patientRole>
            <id root="2.16.840.1.113883.19.5.99999.2" extension="\(patientID)"/>
            <addr use="HP"><streetAddressLine>1 Example St</streetAddressLine><city>Springfield</city></addr>
            <telecom value="tel:+1-555-0100" use="HP"/>
            <patient>
              <name use="L"><given>\(given)</given><family>Example</family></name>
              <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
              <birthTime value="19700412"/>
            </patient>
            <providerOrganization><name>Springfield Example Clinic</name></providerOrganization>
          </patientRole></recordTarget>
        """
    }

    static func section(_ template: String, _ code: String, _ title: String, text: String, entries: String) -> String {
        """
            <component><section>
              <templateId root="2.16.840.1.113883.10.20.22.2.\(template)" extension="2015-08-01"/>
              <code code="\(code)" codeSystem="\(loinc)"/>
              <title>\(title)</title>
              <text>\(text)</text>
              \(entries)
            </section></component>
        """
    }

    static let allergies = section("6.1", "48765-2", "Allergies",
        text: #"<table><tr><td ID="allergen1">Penicillin G benzathine</td><td ID="reaction1">Hives all over</td></tr></table>"#,
        entries: """
        <entry><act classCode="ACT" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.30"/>
          <id root="36e3e930-7b14-11db-9fe1-0800200c9a66"/>
          <code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
          <statusCode code="active"/>
          <effectiveTime><low value="20200101"/></effectiveTime>
          <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
            <templateId root="2.16.840.1.113883.10.20.22.4.7"/>
            <id root="4adc1020-7b14-11db-9fe1-0800200c9a66"/>
            <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
            <statusCode code="completed"/>
            <effectiveTime><low value="2019"/></effectiveTime>
            <value xsi:type="CD" code="416098002" codeSystem="\(snomed)" displayName="Drug allergy"/>
            <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
              <code code="7982" codeSystem="2.16.840.1.113883.6.88" displayName="Penicillin G"><originalText><reference value="#allergen1"/></originalText></code>
            </playingEntity></participantRole></participant>
            <entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.9"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <value xsi:type="CD" code="247472004" codeSystem="\(snomed)" displayName="Hives"><originalText><reference value="#reaction1"/></originalText></value>
              <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
                <templateId root="2.16.840.1.113883.10.20.22.4.8"/>
                <code code="SEV" codeSystem="2.16.840.1.113883.5.4"/>
                <value xsi:type="CD" code="24484000" codeSystem="\(snomed)" displayName="Severe"/>
              </observation></entryRelationship>
            </observation></entryRelationship>
          </observation></entryRelationship>
        </act></entry>
        """)

    static let problems = section("5.1", "11450-4", "Problems",
        text: #"<list><item><content ID="problem1">Ductal carcinoma of left breast</content></item><item>Asthma, resolved</item></list>"#,
        entries: """
        <entry><act classCode="ACT" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
          <id root="ec8a6ff8-ed4b-4f7e-82c3-e98e58b45de7"/>
          <code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
          <statusCode code="active"/>
          <effectiveTime><low value="20230105"/></effectiveTime>
          <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
            <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
            <id root="ab1791b0-5c71-11db-b0de-0800200c9a66"/>
            <code code="55607006" codeSystem="\(snomed)" displayName="Problem"/>
            <statusCode code="completed"/>
            <effectiveTime><low value="202301"/></effectiveTime>
            <value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#problem1"/></originalText>
              <translation code="C50.912" codeSystem="2.16.840.1.113883.6.90" displayName="Malignant neoplasm of left female breast"/></value>
          </observation></entryRelationship>
        </act></entry>
        <entry><act classCode="ACT" moodCode="EVN">
          <id nullFlavor="NI"/>
          <code code="CONC" codeSystem="2.16.840.1.113883.5.6"/>
          <statusCode code="completed"/>
          <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
            <id root="ab1791b0-5c71-11db-b0de-0800200c9a67"/>
            <code code="55607006" codeSystem="\(snomed)"/>
            <effectiveTime><low value="20050601"/><high value="20100601"/></effectiveTime>
            <value xsi:type="CD" code="195967001" codeSystem="\(snomed)" displayName="Asthma"/>
            <entryRelationship typeCode="REFR"><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.6"/>
              <code code="33999-4" codeSystem="\(loinc)"/>
              <value xsi:type="CD" code="413322009" codeSystem="\(snomed)" displayName="Resolved"/>
            </observation></entryRelationship>
          </observation></entryRelationship>
        </act></entry>
        """)

    static let medications = section("1.1", "10160-0", "Medications",
        text: #"<paragraph ID="sig1">Take one tablet by mouth every 12 hours</paragraph>"#,
        entries: """
        <entry><substanceAdministration classCode="SBADM" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.16"/>
          <id root="cdbd33f0-6cde-11db-9fe1-0800200c9a66"/>
          <text><reference value="#sig1"/></text>
          <statusCode code="active"/>
          <effectiveTime xsi:type="IVL_TS"><low value="20230201"/><high nullFlavor="UNK"/></effectiveTime>
          <effectiveTime xsi:type="PIVL_TS" institutionSpecified="true" operator="A"><period value="12" unit="h"/></effectiveTime>
          <routeCode code="C38288" codeSystem="2.16.840.1.113883.3.26.1.1" displayName="ORAL"/>
          <doseQuantity value="20" unit="mg"/>
          <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>
            <code code="198240" codeSystem="2.16.840.1.113883.6.88" displayName="Tamoxifen 20 MG Oral Tablet"/>
          </manufacturedMaterial></manufacturedProduct></consumable>
        </substanceAdministration></entry>
        """)

    static func results(hemoglobin: String) -> String {
        section("3.1", "30954-2", "Results", text: "Hemoglobin \(hemoglobin) g/dL",
        entries: """
        <entry><organizer classCode="BATTERY" moodCode="EVN">
          <id root="7d5a02b0-67a4-11db-bd13-0800200c9a66"/>
          <code code="58410-2" codeSystem="\(loinc)" displayName="CBC panel"/>
          <statusCode code="completed"/>
          <effectiveTime value="20240301080000-0500"/>
          <component><observation classCode="OBS" moodCode="EVN">
            <id root="107c2dc0-67a5-11db-bd13-0800200c9a66"/>
            <code code="718-7" codeSystem="\(loinc)" displayName="Hemoglobin"/>
            <statusCode code="completed"/>
            <effectiveTime value="202403010800"/>
            <value xsi:type="PQ" value="\(hemoglobin)" unit="g/dL"/>
            <interpretationCode code="L" codeSystem="2.16.840.1.113883.5.83"/>
            <referenceRange><observationRange><value xsi:type="IVL_PQ"><low value="12.0" unit="g/dL"/><high value="15.5" unit="g/dL"/></value></observationRange></referenceRange>
          </observation></component>
          <component><observation classCode="OBS" moodCode="EVN">
            <id root="107c2dc0-67a5-11db-bd13-0800200c9a67"/>
            <code code="26515-7" codeSystem="\(loinc)" displayName="Platelets"/>
            <statusCode code="completed"/>
            <value xsi:type="PQ" nullFlavor="NI"/>
          </observation></component>
        </organizer></entry>
        """)
    }

    static let vitalSigns = section("4.1", "8716-3", "Vital signs", text: "Weight 61 kg",
        entries: """
        <entry><organizer classCode="CLUSTER" moodCode="EVN">
          <id root="c6f88320-67ad-11db-bd13-0800200c9a66"/>
          <code code="46680005" codeSystem="\(snomed)" displayName="Vital signs"/>
          <statusCode code="completed"/>
          <effectiveTime value="20240301"/>
          <component><observation classCode="OBS" moodCode="EVN">
            <id root="c6f88321-67ad-11db-bd13-0800200c9a66"/>
            <code code="29463-7" codeSystem="\(loinc)" displayName="Body weight"/>
            <statusCode code="completed"/>
            <value xsi:type="PQ" value="61" unit="kg"/>
          </observation></component>
        </organizer></entry>
        """)

    static let procedures = section("7.1", "47519-4", "Procedures", text: "Lumpectomy",
        entries: """
        <entry><procedure classCode="PROC" moodCode="EVN">
          <id root="d68b7e32-7810-4f5b-9cc2-acd54b0fd85d"/>
          <code code="392021009" codeSystem="\(snomed)" displayName="Lumpectomy of breast"/>
          <statusCode code="completed"/>
          <effectiveTime><center value="20230215"/></effectiveTime>
          <targetSiteCode code="80248007" codeSystem="\(snomed)" displayName="Left breast structure"/>
        </procedure></entry>
        """)

    static let encounters = section("22.1", "46240-8", "Encounters", text: "Office visit",
        entries: """
        <entry><encounter classCode="ENC" moodCode="EVN">
          <id root="2a620155-9d11-439e-92b3-5d9815ff4de8"/>
          <code code="99213" codeSystem="2.16.840.1.113883.6.12" displayName="Office outpatient visit 15 minutes"/>
          <effectiveTime><low value="202402201400-0500"/><high value="202402201430-0500"/></effectiveTime>
          <performer><assignedEntity>
            <id root="2.16.840.1.113883.4.6" extension="1234567893"/>
            <assignedPerson><name><prefix>Dr.</prefix><given>Henry</given><family>Example</family></name></assignedPerson>
          </assignedEntity></performer>
          <participant typeCode="LOC"><participantRole classCode="SDLOC"><playingEntity classCode="PLC"><name>Example Cancer Centre</name></playingEntity></participantRole></participant>
        </encounter></entry>
        """)

    static let immunizations = section("2.1", "11369-6", "Immunizations", text: "Influenza vaccine",
        entries: """
        <entry><substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="false">
          <id root="e6f1ba43-c0ed-4b9b-9f12-f435d8ad8f92"/>
          <statusCode code="completed"/>
          <effectiveTime value="20231010"/>
          <consumable><manufacturedProduct classCode="MANU"><manufacturedMaterial>
            <code code="140" codeSystem="2.16.840.1.113883.12.292" displayName="Influenza, seasonal, injectable, preservative free"/>
            <lotNumberText>LOT-1</lotNumberText>
          </manufacturedMaterial></manufacturedProduct></consumable>
        </substanceAdministration></entry>
        """)

    static let familyHistory = section("15", "10157-6", "Family history", text: "Mother: breast cancer at 45",
        entries: """
        <entry typeCode="DRIV"><organizer classCode="CLUSTER" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.45" extension="2015-08-01"/>
          <id root="d42ebf70-5c89-11db-b0de-0800200c9a66"/>
          <statusCode code="completed"/>
          <subject><relatedSubject classCode="PRS">
            <code code="MTH" codeSystem="2.16.840.1.113883.5.111" displayName="Mother"/>
            <subject><administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/></subject>
          </relatedSubject></subject>
          <component><observation classCode="OBS" moodCode="EVN">
            <templateId root="2.16.840.1.113883.10.20.22.4.46" extension="2015-08-01"/>
            <id root="d42ebf70-5c89-11db-b0de-0800200c9a67"/>
            <code code="64572001" codeSystem="\(snomed)" displayName="Disease"/>
            <statusCode code="completed"/>
            <value xsi:type="CD" code="254837009" codeSystem="\(snomed)" displayName="Malignant neoplasm of breast"/>
            <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.31"/>
              <code code="445518008" codeSystem="\(snomed)" displayName="Age At Onset"/>
              <statusCode code="completed"/>
              <value xsi:type="PQ" value="45" unit="a"/>
            </observation></entryRelationship>
          </observation></component>
        </organizer></entry>
        """)

    static let socialHistory = section("17", "29762-2", "Social history", text: "Never smoker",
        entries: """
        <entry><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.78"/>
          <id root="45efb604-7049-4a2e-ad33-d38556c9636c"/>
          <code code="72166-2" codeSystem="\(loinc)"/>
          <statusCode code="completed"/>
          <effectiveTime value="20240315"/>
          <value xsi:type="CD" code="266919005" codeSystem="\(snomed)" displayName="Never smoker"/>
        </observation></entry>
        """)

    static let plan = section("10", "18776-5", "Plan of treatment", text: "Follow-up with oncology in three months; repeat mammogram",
        entries: """
        <entry><encounter classCode="ENC" moodCode="INT">
          <id root="9a6d1bac-17d3-4195-89a4-1121bc809b4d"/>
          <code code="185389009" codeSystem="\(snomed)" displayName="Follow-up visit"/>
          <effectiveTime value="20240615"/>
        </encounter></entry>
        <entry><substanceAdministration classCode="SBADM" moodCode="INT">
          <templateId root="2.16.840.1.113883.10.20.22.4.42"/>
          <id root="5c1e6f5a-8a7b-4d7e-9c55-0a1b2c3d4e01"/>
          <statusCode code="active"/>
          <effectiveTime xsi:type="IVL_TS"><low value="20240401"/></effectiveTime>
          <consumable><manufacturedProduct><manufacturedMaterial>
            <code code="56946" codeSystem="2.16.840.1.113883.6.88" displayName="paclitaxel"/>
          </manufacturedMaterial></manufacturedProduct></consumable>
        </substanceAdministration></entry>
        <entry><procedure classCode="PROC" moodCode="RQO">
          <templateId root="2.16.840.1.113883.10.20.22.4.41"/>
          <id root="5c1e6f5a-8a7b-4d7e-9c55-0a1b2c3d4e02"/>
          <code code="396487001" codeSystem="\(snomed)" displayName="Sentinel lymph node biopsy"/>
          <statusCode code="new"/>
          <effectiveTime value="20240501"/>
        </procedure></entry>
        <entry><observation classCode="OBS" moodCode="RQO">
          <templateId root="2.16.840.1.113883.10.20.22.4.44"/>
          <id root="5c1e6f5a-8a7b-4d7e-9c55-0a1b2c3d4e03"/>
          <code code="24606-6" codeSystem="\(loinc)" displayName="Mammogram"/>
          <statusCode code="active"/>
        </observation></entry>
        """)

    /// A document whose allergy concern holds its allergy observation (penicillin) and, beside it
    /// rather than inside, a reaction observation (tremor), as HL7's withdrawn epinephrine
    /// example does.
    static func allergyConcernWithAReactionBeside() -> String {
        let section = section("6.1", "48765-2", "Allergies", text: "Penicillin",
            entries: """
            \(concern("36e3e930-7b14-11db-9fe1-0800200c9a71", """
            <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a71"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <value xsi:type="CD" code="416098002" codeSystem="\(snomed)" displayName="Drug allergy"/>
              <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
                <code code="7980" codeSystem="2.16.840.1.113883.6.88" displayName="Penicillin G"/>
              </playingEntity></participantRole></participant>
            </observation></entryRelationship>
            <entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a72"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <value xsi:type="CD" code="26079004" codeSystem="\(snomed)" displayName="Tremor"/>
            </observation></entryRelationship>
            """))
            """)
        return shortDocument("stray-1", section)
    }

    /// An allergy concern holding, beside its allergy observation, a severity observation (as
    /// C-CDA 1.1 CCDs put the allergy's severity): Penicillin G with hives, "Moderate to severe".
    static func allergyConcernWithASeverityBeside() -> String {
        let section = section("6.1", "48765-2", "Allergies", text: "Penicillin",
            entries: """
            \(concern("36e3e930-7b14-11db-9fe1-0800200c9a73", """
            <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.7"/>
              <id root="4adc1020-7b14-11db-9fe1-0800200c9a73"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <value xsi:type="CD" code="416098002" codeSystem="\(snomed)" displayName="Drug allergy"/>
              <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
                <code code="7980" codeSystem="2.16.840.1.113883.6.88" displayName="Penicillin G"/>
              </playingEntity></participantRole></participant>
              <entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
                <templateId root="2.16.840.1.113883.10.20.22.4.9"/>
                <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
                <value xsi:type="CD" code="247472004" codeSystem="\(snomed)" displayName="Hives"/>
              </observation></entryRelationship>
            </observation></entryRelationship>
            <entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">
              <templateId root="2.16.840.1.113883.10.20.22.4.8"/>
              <code code="SEV" codeSystem="2.16.840.1.113883.5.4"/>
              <value xsi:type="CD" code="371924009" codeSystem="\(snomed)" displayName="Moderate to severe"/>
            </observation></entryRelationship>
            """))
            """)
        return shortDocument("severity-1", section)
    }

    /// A document with no known allergies (the negated allergy observation), or with the
    /// observation's value `value` (a SNOMED CT code and its name), negated only when `negated`,
    /// about `substance` (a SNOMED CT code and its name) when given.
    static func noKnownAllergies(observationID: String = "4adc1020-7b14-11db-9fe1-0800200c9a70",
                                 value: (code: String, name: String)? = nil, negated: Bool = false,
                                 substance: (code: String, name: String)? = nil) -> String {
        let section = section("6.1", "48765-2", "Allergies", text: "No known allergies",
            entries: """
            \(concern("36e3e930-7b14-11db-9fe1-0800200c9a70", """
            <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" negationInd="\(value == nil || negated)">
              <id root="\(observationID)"/>
              <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
              <effectiveTime><low nullFlavor="UNK"/></effectiveTime>
              <value xsi:type="CD" code="\(value?.code ?? "419199007")" codeSystem="\(snomed)" displayName="\(value?.name ?? "Allergy to substance")"/>
              <participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">
                \(substance.map { #"<code code="\#($0.code)" codeSystem="\#(snomed)" displayName="\#($0.name)"/>"# } ?? #"<code nullFlavor="NA"/>"#)
              </playingEntity></participantRole></participant>
            </observation></entryRelationship>
            """))
            """)
        return shortDocument("nka-1", section)
    }
}
